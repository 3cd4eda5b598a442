import { AsyncResource } from 'async_hooks';
import crypto from 'crypto';
import http from 'http';
import https from 'https';
import os from 'os';
import axios from 'axios';
import type { Core } from '@strapi/strapi';
import { TABLES, toIso, toNumber, type Knex } from '../lib/db';
import { signWebhook, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../lib/webhook';
import { getPluginConfig } from './plugin-config';
import { parseEndpointRow, type EndpointRow } from './shared-rows';
import { endpointSecrets } from './secrets';
import { pruneOldRows } from './retention';
import { checkEndpointUrl, guardedLookup } from '../lib/url-policy';

/**
 * Delivery worker. Terminology:
 * - outbox row: one event for one endpoint; `status` is pending, retrying, delivered or dead.
 * - lease: `lease_owner` + `lease_until_ms` reserve a row for one worker. An expired lease (from a
 *   crashed instance) makes the row claimable again. So a row may be sent twice after a crash, but
 *   not by two live instances at once while the lease runs.
 * - ordering key: content id + locale, or skill id. A row is claimable only when no older row with
 *   the same key and endpoint is still pending or retrying. So receivers get an item's events in
 *   `metadata_version` order.
 */

const OPEN_STATUSES = ['pending', 'retrying'];
const EXCERPT_LENGTH = 500;
const CE_SOURCE = '/strapi/skill-mapping';

interface OutboxRow {
  id: number;
  event_id: string;
  event_type: string;
  endpoint_id: number;
  body: string;
  attempts: number;
  created_ms: number;
}

export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  excerpt: string;
  error: string | null;
  retryAfterSeconds: number | null;
  /** Set when the failure is the endpoint's own configuration; shown on the endpoint until a success. */
  endpointFlag?: string;
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

function parseRetryAfter(value: unknown, now: number): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

/**
 * Sends one signed request with exactly `body` as the payload. Errors become the result, so it
 * does not throw. The URL rules run again here, not only when the endpoint was saved: the
 * allowed hosts may have been narrowed since, and the lookup rejects a name that now resolves to
 * an internal address.
 */
export async function sendSigned(
  endpoint: { url: string },
  secrets: string[],
  event: { id: string; type: string; time: string },
  body: Buffer,
  timeoutMs: number,
  allowedHosts: string[],
): Promise<AttemptResult> {
  await checkEndpointUrl(endpoint.url, allowedHosts);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'strapi-skill-mapping/0.1',
    [WEBHOOK_ID_HEADER]: event.id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signWebhook({ secrets, id: event.id, timestamp, body }),
    'ce-specversion': '1.0',
    'ce-id': event.id,
    'ce-type': event.type,
    'ce-source': CE_SOURCE,
    'ce-time': event.time,
  };
  const started = performance.now();
  try {
    const response = await axios.post(endpoint.url, body, {
      headers,
      timeout: timeoutMs,
      maxRedirects: 0,
      responseType: 'text',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: 64 * 1024,
      httpAgent,
      httpsAgent,
      lookup: guardedLookup(allowedHosts),
    });
    return {
      statusCode: response.status,
      latencyMs: Math.round(performance.now() - started),
      excerpt: String(response.data ?? '').slice(0, EXCERPT_LENGTH),
      error: response.status >= 200 && response.status < 300 ? null : `receiver answered HTTP ${response.status}`,
      retryAfterSeconds: parseRetryAfter(response.headers['retry-after'], Date.now()),
    };
  } catch (error: any) {
    const reason = error?.code === 'ECONNABORTED' || error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs} ms` : `${error?.code ?? 'ERROR'}: ${error?.message ?? error}`;
    const rejected = error?.code === 'ENDPOINT_URL_REJECTED' ? { endpointFlag: reason } : {};
    return { statusCode: null, latencyMs: Math.round(performance.now() - started), excerpt: '', error: reason, retryAfterSeconds: null, ...rejected };
  }
}

type Outcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; flag: string | null }
  | { kind: 'dead' }
  | { kind: 'disable' };

/** Maps an HTTP result to what happens to the event, as the delivery rules require. */
export function classify(result: AttemptResult): Outcome {
  const code = result.statusCode;
  if (code === null) return { kind: 'retry', flag: null };
  if (code >= 200 && code < 300) return { kind: 'delivered' };
  if (code === 410) return { kind: 'disable' };
  if (code === 401 || code === 403) return { kind: 'retry', flag: `receiver answered ${code}: check the endpoint secret and the receiver's clock` };
  if (code === 408 || code === 429) return { kind: 'retry', flag: null };
  if (code >= 400 && code < 500) return { kind: 'dead' };
  return { kind: 'retry', flag: null };
}

export class DeliveryWorker {
  private readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private wakeRequested = false;
  private stopped = false;
  private lastPruneMs = 0;
  // Claimed rows wait in `queue`; up to `concurrency` runners send them one by one. Each result goes
  // to `completed` and is recorded at once (several that finish together share one transaction), so
  // a slow receiver holds back only the runner that waits for it.
  private readonly queue: Array<{ row: OutboxRow; endpoint: EndpointRow }> = [];
  private activeRunners = 0;
  private completed: Array<{ row: OutboxRow; result: AttemptResult; endpoint: EndpointRow }> = [];
  private flushing: Promise<void> | null = null;
  private claimedTotal = 0;

  // Rounds start from commit hooks of request handlers. Binding to the context of the worker's
  // creation keeps them out of that request's async context (its transaction and request state).
  private readonly startLoop = AsyncResource.bind(() => {
    this.loop = this.run().finally(() => {
      this.loop = null;
      this.schedule(getPluginConfig(this.strapi).pollIntervalMs);
    });
  });

  constructor(private readonly strapi: Core.Strapi) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
    this.strapi.log.info(`[skill-mapping] delivery worker started owner=${this.owner}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.settle();
    this.strapi.log.info(`[skill-mapping] delivery worker stopped owner=${this.owner}`);
  }

  /** Starts a round now, or right after the running one. */
  wake(): void {
    if (this.stopped) return;
    if (this.loop) {
      this.wakeRequested = true;
      return;
    }
    this.startLoop();
  }

  /** Resolves when the outbox has no claimable row left; used by tests and the benchmark. */
  async drain(): Promise<void> {
    await this.settle();
    for (;;) {
      const claimed = this.claimedTotal;
      this.wake();
      await this.settle();
      if (this.claimedTotal === claimed) return;
    }
  }

  /** Waits until no round runs, no row is being sent and every result is recorded. */
  private async settle(): Promise<void> {
    for (;;) {
      if (this.loop) await this.loop;
      else if (this.flushing) await this.flushing;
      else if (this.completed.length > 0) await this.flush();
      else if (this.activeRunners > 0 || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      else return;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.maybePrune();
      for (;;) {
        this.wakeRequested = false;
        const handled = await this.round();
        if (this.stopped || (handled === 0 && !this.wakeRequested)) break;
      }
    } catch (error: any) {
      this.strapi.log.error(`[skill-mapping] delivery round failed: ${error?.message ?? error}`);
    }
  }

  private async maybePrune(): Promise<void> {
    const config = getPluginConfig(this.strapi);
    if (Date.now() - this.lastPruneMs < config.pruneIntervalMs) return;
    this.lastPruneMs = Date.now();
    await pruneOldRows(this.strapi);
  }

  /** Claims rows up to the free room of the queue and hands them to the runners; returns the number claimed. */
  async round(): Promise<number> {
    const config = getPluginConfig(this.strapi);
    const room = config.batchSize - this.queue.length - this.activeRunners;
    if (room <= 0) return 0;
    const knex: Knex = this.strapi.db.connection;
    const endpoints = new Map<number, EndpointRow>(
      (await knex(TABLES.endpoint).select('*').where({ enabled: true })).map((row: any) => {
        const endpoint = parseEndpointRow(row);
        return [endpoint.id, endpoint];
      }),
    );
    if (endpoints.size === 0) return 0;

    // At most batchSize rows are claimed and not yet sent, and they leave in
    // ceil(batchSize / concurrency) waves of at most one timeout each. The lease has to outlast
    // that: a lease that ran out while a row waited would let another instance send it too.
    const waves = Math.ceil(config.batchSize / config.concurrency);
    const leaseMs = Math.max(config.leaseMs, waves * config.requestTimeoutMs + 10_000);
    const rows = await this.claim(knex, [...endpoints.keys()], room, leaseMs);
    if (rows.length === 0) return 0;
    this.claimedTotal += rows.length;

    for (const row of rows) this.queue.push({ row, endpoint: endpoints.get(row.endpoint_id)! });
    while (this.activeRunners < config.concurrency && this.activeRunners < this.queue.length) this.startRunner(config.requestTimeoutMs);
    return rows.length;
  }

  private startRunner(timeoutMs: number): void {
    this.activeRunners += 1;
    void (async () => {
      try {
        for (let next = this.queue.shift(); next; next = this.queue.shift()) {
          const result = await this.deliverRow(next.row, next.endpoint, timeoutMs);
          this.completed.push({ ...next, result });
          void this.flush();
        }
      } finally {
        this.activeRunners -= 1;
        // A free runner means room for more rows.
        this.wake();
      }
    })();
  }

  /** Records every finished attempt; results that finish while a flush runs go in the next one. */
  private flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = (async () => {
        while (this.completed.length > 0) {
          const batch = this.completed.splice(0);
          try {
            await this.record(batch);
          } catch (error: any) {
            // The rows keep their lease and are sent again when it expires; receivers drop the
            // duplicate by event_id.
            this.strapi.log.error(`[skill-mapping] recording ${batch.length} delivery attempt(s) failed: ${error?.message ?? error}`);
          }
        }
      })().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  /**
   * Sends one row. A failure that belongs to this endpoint alone (an unreadable secret, say)
   * becomes this row's attempt result, so the other rows of the batch are still recorded and not
   * sent again when the lease runs out.
   */
  private async deliverRow(row: OutboxRow, endpoint: EndpointRow, timeoutMs: number): Promise<AttemptResult> {
    try {
      return await sendSigned(
        endpoint,
        endpointSecrets(this.strapi, endpoint),
        { id: row.event_id, type: row.event_type, time: toIso(row.created_ms)! },
        Buffer.from(row.body, 'utf8'),
        timeoutMs,
        getPluginConfig(this.strapi).allowedHosts,
      );
    } catch (error: any) {
      const code = error?.details?.code ?? 'DELIVERY_FAILED';
      const message = `${code}: ${error?.message ?? String(error)}`;
      return { statusCode: null, latencyMs: 0, excerpt: '', error: message, retryAfterSeconds: null, endpointFlag: message };
    }
  }

  private async claim(knex: Knex, endpointIds: number[], limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const now = Date.now();
    const candidates = await knex(`${TABLES.outbox} as o`)
      .select('o.id')
      .whereIn('o.status', OPEN_STATUSES)
      .whereIn('o.endpoint_id', endpointIds)
      .where('o.next_attempt_ms', '<=', now)
      .where((q: Knex) => q.whereNull('o.lease_until_ms').orWhere('o.lease_until_ms', '<', now))
      .whereNotExists(
        knex(`${TABLES.outbox} as p`)
          .select(knex.raw('1'))
          .whereRaw('p.endpoint_id = o.endpoint_id')
          .whereRaw('p.ordering_key = o.ordering_key')
          .whereRaw('p.id < o.id')
          .whereIn('p.status', OPEN_STATUSES),
      )
      .orderBy('o.id')
      .limit(limit);
    if (candidates.length === 0) return [];

    // The lease is taken with a conditional update: when two instances race for a row, the
    // database lets only one update match, and each instance sends only the rows it owns.
    const token = `${this.owner}:${crypto.randomBytes(4).toString('hex')}`;
    const ids = candidates.map((row: any) => Number(row.id));
    // The endpoint list was read before the claim, and a 410 may have been recorded since. The
    // update therefore checks that the endpoint is still enabled.
    await knex(TABLES.outbox)
      .whereIn('id', ids)
      .whereIn('status', OPEN_STATUSES)
      .whereIn('endpoint_id', knex(TABLES.endpoint).select('id').where({ enabled: true }))
      .where((q: Knex) => q.whereNull('lease_until_ms').orWhere('lease_until_ms', '<', now))
      .update({ lease_owner: token, lease_until_ms: now + leaseMs });
    const claimed = await knex(TABLES.outbox).select('id', 'event_id', 'event_type', 'endpoint_id', 'body', 'attempts', 'created_ms').where({ lease_owner: token }).orderBy('id');
    return claimed.map((row: any) => ({
      id: Number(row.id),
      event_id: row.event_id,
      event_type: row.event_type,
      endpoint_id: Number(row.endpoint_id),
      body: row.body,
      attempts: Number(row.attempts ?? 0),
      created_ms: toNumber(row.created_ms)!,
    }));
  }

  private nextDelayMs(attempt: number, retryAfterSeconds: number | null): number | null {
    const config = getPluginConfig(this.strapi);
    const base = config.retryScheduleSeconds[attempt - 1];
    if (base === undefined) return null;
    // Full jitter: a random delay between 0 and the scheduled one spreads retries of many events.
    const jittered = Math.random() * base * 1000;
    if (retryAfterSeconds === null) return jittered;
    return Math.max(jittered, Math.min(retryAfterSeconds, config.maxRetryAfterSeconds) * 1000);
  }

  private async record(results: Array<{ row: OutboxRow; result: AttemptResult; endpoint: EndpointRow }>): Promise<void> {
    const endpoints = new Map(results.map(({ endpoint }) => [endpoint.id, endpoint]));
    const now = Date.now();
    await this.strapi.db.transaction(async ({ trx }) => {
      await trx(TABLES.delivery).insert(
        results.map(({ row, result }) => ({
          outbox_id: row.id,
          event_id: row.event_id,
          endpoint_id: row.endpoint_id,
          attempt: row.attempts + 1,
          status_code: result.statusCode,
          latency_ms: result.latencyMs,
          response_excerpt: result.excerpt,
          error: result.error,
          created_ms: now,
        })),
      );

      const delivered = results.filter(({ result }) => classify(result).kind === 'delivered');
      if (delivered.length > 0) {
        // A lease that expired mid-request may have let another instance send the row again.
        // Marking it delivered is still right, because receivers drop the duplicate by event_id.
        for (const { row, result } of delivered) {
          await trx(TABLES.outbox)
            .where({ id: row.id })
            .update({ status: 'delivered', attempts: row.attempts + 1, last_status: result.statusCode, last_error: null, delivered_ms: now, lease_owner: null, lease_until_ms: null });
        }
        const healed = [...new Set(delivered.map(({ row }) => row.endpoint_id))].filter((id) => endpoints.get(id)?.flagged_reason);
        if (healed.length > 0) await trx(TABLES.endpoint).whereIn('id', healed).update({ flagged_reason: null });
      }

      for (const { row, result } of results) {
        const outcome = classify(result);
        if (outcome.kind === 'delivered') continue;
        const attempt = row.attempts + 1;
        const base = { attempts: attempt, last_status: result.statusCode, last_error: result.error, lease_owner: null, lease_until_ms: null };
        const log = `[skill-mapping] delivery failed event_id=${row.event_id} endpoint_id=${row.endpoint_id} attempt=${attempt} status=${result.statusCode ?? 'none'} error="${result.error}"`;

        if (outcome.kind === 'disable') {
          await trx(TABLES.endpoint).where({ id: row.endpoint_id }).update({ enabled: false, flagged_reason: 'receiver answered 410 Gone: endpoint disabled; fix the receiver and enable it again' });
          await trx(TABLES.outbox).where({ id: row.id }).update({ ...base, status: 'retrying', next_attempt_ms: now });
          this.strapi.log.warn(`${log} action=endpoint-disabled`);
          continue;
        }
        const flag = result.endpointFlag ?? (outcome.kind === 'retry' ? outcome.flag : null);
        if (flag) {
          await trx(TABLES.endpoint).where({ id: row.endpoint_id }).update({ flagged_reason: flag });
        }
        const delay = outcome.kind === 'dead' ? null : this.nextDelayMs(attempt, result.retryAfterSeconds);
        if (delay === null) {
          await trx(TABLES.outbox).where({ id: row.id }).update({ ...base, status: 'dead', next_attempt_ms: null });
          this.strapi.log.warn(`${log} action=dead`);
        } else {
          await trx(TABLES.outbox).where({ id: row.id }).update({ ...base, status: 'retrying', next_attempt_ms: now + Math.round(delay) });
          this.strapi.log.info(`${log} action=retry delay_ms=${Math.round(delay)}`);
        }
      }
    });
  }
}
