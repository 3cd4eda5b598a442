import type { Logger } from 'pino';
import type { Db } from '../db/connection';
import { lockFeed } from './feed';

/**
 * Deletes applied and stale inbox rows older than `inboxDays` and change feed rows older than
 * `feedDays`; audit rows are kept. Pruned feed positions are remembered so older cursors get 410.
 */
export async function pruneRetention(db: Db, options: { inboxDays: number; feedDays: number }, logger: Logger): Promise<void> {
  const day = 24 * 60 * 60 * 1000;
  const inboxBefore = new Date(Date.now() - options.inboxDays * day).toISOString();
  const feedBefore = new Date(Date.now() - options.feedDays * day).toISOString();

  const inbox = await db.kysely.deleteFrom('inbox').where('status', 'in', ['applied', 'stale']).where('received_at', '<', inboxBefore).executeTakeFirst();

  const feed = await db.kysely.transaction().execute(async (trx) => {
    await lockFeed(trx);
    const newest = await trx.selectFrom('change_feed').select(['seq', 'changed_at']).where('changed_at', '<', feedBefore).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!newest) return 0;
    const result = await trx.deleteFrom('change_feed').where('seq', '<=', newest.seq).executeTakeFirst();
    await trx.updateTable('feed_counter').set({ pruned_through: newest.seq, pruned_before: newest.changed_at }).where('id', '=', 1).execute();
    return Number(result.numDeletedRows);
  });

  logger.info({ inbox_rows: Number(inbox.numDeletedRows), feed_rows: feed }, 'retention pruning done');
}
