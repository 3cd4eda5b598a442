import type { Kysely } from 'kysely';
import type { Database } from '../db/types';

export type ChangeOp = 'create' | 'update' | 'delete';

/**
 * Takes the feed counter's row lock (PostgreSQL) or the database write lock (SQLite) for the rest of
 * the transaction. Every transaction that appends to the change feed calls this first, so such
 * transactions run one at a time and commit in the order of the sequence numbers they take. A reader
 * that sees sequence N can therefore already see every sequence below N.
 */
export async function lockFeed(trx: Kysely<Database>): Promise<void> {
  await trx.updateTable('feed_counter').set((eb) => ({ last_seq: eb.ref('last_seq') })).where('id', '=', 1).execute();
}

export interface ChangeInput {
  content_id: string;
  locale: string;
  op: ChangeOp;
  metadata_version: number;
  changed_at: string;
}

/** Appends one change and returns its sequence number. Call `lockFeed` first in the same transaction. */
export async function appendChange(trx: Kysely<Database>, change: ChangeInput): Promise<number> {
  const { last_seq: seq } = await trx
    .updateTable('feed_counter')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('last_seq')
    .executeTakeFirstOrThrow();

  await trx.insertInto('change_feed').values({ seq, ...change }).execute();
  return seq;
}
