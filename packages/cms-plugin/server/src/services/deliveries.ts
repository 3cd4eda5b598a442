import type { Core } from '@strapi/strapi';
import { TABLES, pagination, toIso, toNumber, type Knex } from '../lib/db';
import { decodeCursor } from '../lib/cursor';
import { badRequest, conflict, notFound } from '../lib/errors';
import { wakeWorker } from './worker-registry';

const STATUSES = ['pending', 'retrying', 'delivered', 'dead'];

function toDelivery(row: any) {
  return {
    id: Number(row.id),
    event_id: row.event_id,
    event_type: row.event_type,
    content_id: row.content_id ?? null,
    locale: row.locale ?? null,
    endpoint_id: Number(row.endpoint_id),
    status: row.status,
    attempts: Number(row.attempts ?? 0),
    next_attempt_at: row.status === 'delivered' || row.status === 'dead' ? null : toIso(row.next_attempt_ms),
    last_status: toNumber(row.last_status),
    last_error: row.last_error ?? null,
    created_at: toIso(row.created_ms),
    delivered_at: toIso(row.delivered_ms),
  };
}

export async function listDeliveries(strapi: Core.Strapi, query: Record<string, any>, paging: { page: number; pageSize: number; offset: number }) {
  if (query.status && !STATUSES.includes(query.status)) {
    throw badRequest('STATUS_INVALID', `status "${String(query.status)}" is invalid; use one of ${STATUSES.join(', ')}.`, { value: String(query.status) });
  }
  const knex = strapi.db.connection;
  const apply = (builder: Knex, withStatus: boolean) => {
    if (query.endpoint) builder.where({ endpoint_id: Number(query.endpoint) });
    if (query.event_type) builder.where({ event_type: String(query.event_type) });
    if (query.content_id) builder.where({ content_id: String(query.content_id) });
    if (withStatus && query.status) builder.where({ status: query.status });
    return builder;
  };
  const total = Number((await apply(knex(TABLES.outbox), true).count({ n: '*' }).first())?.n ?? 0);
  const rows = await apply(knex(TABLES.outbox).select('*'), true).orderBy('id', 'desc').limit(paging.pageSize).offset(paging.offset);
  const grouped = await apply(knex(TABLES.outbox).select('status').count({ n: '*' }), false).groupBy('status');
  const count = (status: string) => Number(grouped.find((row: any) => row.status === status)?.n ?? 0);
  return {
    results: rows.map(toDelivery),
    pagination: pagination(paging.page, paging.pageSize, total),
    counters: { pending: count('pending') + count('retrying'), delivered: count('delivered'), dead: count('dead') },
  };
}

export async function getDelivery(strapi: Core.Strapi, id: unknown) {
  const knex = strapi.db.connection;
  const row = await knex(TABLES.outbox).where({ id: Number(id) }).first();
  if (!row) throw notFound('DELIVERY_NOT_FOUND', `delivery ${String(id)} does not exist; it may have been pruned after the retention period.`, { value: String(id) });
  const attempts = await knex(TABLES.delivery).where({ outbox_id: row.id }).orderBy('id');
  const { attempts: attemptCount, ...delivery } = toDelivery(row);
  return {
    ...delivery,
    attempt_count: attemptCount,
    attempts: attempts.map((attempt: any) => ({
      attempt: Number(attempt.attempt),
      status_code: toNumber(attempt.status_code),
      latency_ms: Number(attempt.latency_ms ?? 0),
      response_excerpt: attempt.response_excerpt ?? null,
      error: attempt.error ?? null,
      created_at: toIso(attempt.created_ms),
    })),
    body: JSON.parse(row.body),
  };
}

/** Puts rows back in the queue with their original body and event_id. */
async function requeue(strapi: Core.Strapi, builder: (knex: Knex) => Knex): Promise<number> {
  // A row that a worker is sending right now keeps its lease: the worker records the result of its
  // attempt after this update, so a replay of that row would be silently overwritten.
  const now = Date.now();
  const replayed = await builder(strapi.db.connection(TABLES.outbox))
    .where((query: Knex) => query.whereNull('lease_until_ms').orWhere('lease_until_ms', '<', now))
    .update({
    status: 'pending',
    attempts: 0,
    next_attempt_ms: Date.now(),
    lease_owner: null,
    lease_until_ms: null,
    last_error: null,
  });
  if (replayed > 0) wakeWorker(strapi);
  strapi.log.info(`[skill-mapping] replay queued rows=${replayed}`);
  return Number(replayed);
}

export async function replayOne(strapi: Core.Strapi, id: unknown) {
  const row = await strapi.db.connection(TABLES.outbox).where({ id: Number(id) }).first();
  if (!row) throw notFound('DELIVERY_NOT_FOUND', `delivery ${String(id)} does not exist; list deliveries to find its id.`, { value: String(id) });
  const replayed = await requeue(strapi, (query) => query.where({ id: row.id }));
  if (replayed === 0) {
    throw conflict('DELIVERY_IN_FLIGHT', `delivery ${row.id} is being sent right now; wait for this attempt to finish, then replay it if it is still needed.`, { value: row.id });
  }
  return { replayed };
}

export async function replayDead(strapi: Core.Strapi, body: Record<string, any>) {
  const endpointId = Number(body.endpoint_id);
  if (!Number.isInteger(endpointId)) throw badRequest('ENDPOINT_ID_INVALID', `endpoint_id "${String(body.endpoint_id)}" is invalid; give the numeric endpoint id.`);
  const endpoint = await strapi.db.connection(TABLES.endpoint).where({ id: endpointId }).first();
  if (!endpoint) throw notFound('ENDPOINT_NOT_FOUND', `endpoint ${endpointId} does not exist; list endpoints to find its id.`, { value: endpointId });
  return { replayed: await requeue(strapi, (query) => query.where({ endpoint_id: endpointId, status: 'dead' })) };
}

/** Queues again every content event written after a feed cursor (an RFC 3339 time is inclusive). */
export async function replayFrom(strapi: Core.Strapi, body: Record<string, any>) {
  if (typeof body.cursor !== 'string' || body.cursor === '') throw badRequest('CURSOR_INVALID', 'cursor is missing: give a change feed cursor or an RFC 3339 timestamp.');
  const cursor = decodeCursor(body.cursor);
  const knex = strapi.db.connection;
  const changeIds =
    cursor.kind === 'position'
      ? knex(TABLES.change).select('id').where('id', '>', cursor.s)
      : knex(TABLES.change).select('id').where('changed_ms', '>=', Date.parse(cursor.t));
  return {
    replayed: await requeue(strapi, (query) => {
      query.whereIn('change_id', changeIds);
      if (body.endpoint_id !== undefined) query.where({ endpoint_id: Number(body.endpoint_id) });
      return query;
    }),
  };
}
