import type { Core } from '@strapi/strapi';
import { TABLES } from '../lib/db';
import { getPluginConfig } from './plugin-config';

const DAY_MS = 86_400_000;

/**
 * Deletes delivered outbox rows and attempt logs older than `deliveredRetentionDays`, and change
 * feed rows older than `changeRetentionDays`. Pending, retrying and dead rows and audit rows stay.
 */
export async function pruneOldRows(strapi: Core.Strapi, now = Date.now()) {
  const config = getPluginConfig(strapi);
  const knex = strapi.db.connection;
  const deliveredBefore = now - config.deliveredRetentionDays * DAY_MS;
  const changesBefore = now - config.changeRetentionDays * DAY_MS;

  const outbox = await knex(TABLES.outbox).where({ status: 'delivered' }).where('delivered_ms', '<', deliveredBefore).del();
  const attempts = await knex(TABLES.delivery)
    .where('created_ms', '<', deliveredBefore)
    .whereNotIn('outbox_id', knex(TABLES.outbox).select('id').whereIn('status', ['pending', 'retrying', 'dead']))
    .del();
  const newestPruned = await knex(TABLES.change).where('changed_ms', '<', changesBefore).max({ id: 'id' }).first();
  let changes = 0;
  if (newestPruned?.id !== null && newestPruned?.id !== undefined) {
    changes = await knex(TABLES.change).where('id', '<=', newestPruned.id).del();
    // Cursors before this point get 410 CURSOR_EXPIRED from the feed.
    await strapi.store({ type: 'plugin', name: 'skill-mapping', key: 'feed_pruned_through' }).set({ value: { id: Number(newestPruned.id), ms: changesBefore } });
  }

  if (outbox + attempts + changes > 0) {
    strapi.log.info(`[skill-mapping] retention pruned outbox=${outbox} attempts=${attempts} changes=${changes}`);
  }
  return { outbox, attempts, changes };
}
