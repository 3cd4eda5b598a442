import { parseEvent, type ProficiencyBand, type SkillMappingEvent } from '@skill-mapping/shared-schema';
import type { Logger } from 'pino';
import type { Db } from '../db/connection';
import type { Metrics } from '../metrics';
import { lockFeed } from '../state/feed';
import { type ApplyOutcome, applyEvent } from './apply-event';

export interface ApplyWorkerOptions {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  bands: readonly ProficiencyBand[];
  pollIntervalMs: number;
  maxAttempts: number;
  /** Awaited before each apply transaction; ingest uses it to write accepted events first. */
  beforeApply?: () => Promise<void>;
}

interface Claimed {
  id: number;
  event_id: string;
  attempts: number;
}

/**
 * Applies inbox rows one transaction each. The claim is a row lock held by that same transaction
 * (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite has a single writer), so a crashed process leaves no
 * lease behind: its transaction rolls back and the row is pending again for the next process.
 */
export class ApplyWorker {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wakePending = false;

  constructor(private readonly options: ApplyWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
  }

  /** Called after an insert into the inbox so the event is applied without waiting for the poll. */
  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  /** Applies pending rows until none is left; returns how many were processed. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.applyNext()) count += 1;
    return count;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        for (;;) {
          // Yield between transactions, and let pending inbox inserts go first, so a backlog of
          // applies does not delay the 202 of new events: the inbox absorbs the difference.
          await new Promise((resolve) => setImmediate(resolve));
          await this.options.beforeApply?.();
          if (!this.running || !(await this.applyNext())) break;
        }
      } catch (error) {
        this.options.logger.error({ err: error }, 'apply worker loop failed; retrying after the poll interval');
      }
      if (!this.running) break;
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        self.wakePending = false;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Applies the oldest pending row; returns false when there was none. */
  async applyNext(): Promise<boolean> {
    const { db, logger, metrics, bands } = this.options;
    let claimed: Claimed | undefined;
    let event: SkillMappingEvent | undefined;
    let outcome: ApplyOutcome | undefined;
    const now = new Date().toISOString();

    try {
      outcome = await db.kysely.transaction().execute(async (trx) => {
        // PostgreSQL: claim the row first so other processes skip it, then queue on the feed lock.
        // SQLite: take the write lock first so the claim and the apply see one consistent snapshot.
        if (db.dialect === 'sqlite') await lockFeed(trx);
        let query = trx
          .selectFrom('inbox')
          .select(['id', 'event_id', 'attempts', 'payload'])
          .where('status', '=', 'pending')
          .orderBy('id')
          .limit(1);
        if (db.dialect === 'postgres') query = query.forUpdate().skipLocked();
        const row = await query.executeTakeFirst();
        if (!row) return undefined;
        claimed = row;
        if (db.dialect === 'postgres') await lockFeed(trx);

        const parsed = parseEvent(JSON.parse(row.payload));
        if (!parsed.ok) throw new Error(`stored event no longer validates: ${JSON.stringify(parsed.issues)}`);
        event = parsed.event;

        const result = await applyEvent(trx, event, { bands, now });
        await trx
          .updateTable('inbox')
          .set({ status: result.result === 'stale' ? 'stale' : 'applied', applied_at: now, attempts: row.attempts + 1, last_error: null })
          .where('id', '=', row.id)
          .execute();
        return result;
      });
    } catch (error) {
      if (!claimed) throw error;
      await this.recordFailure(claimed, error as Error);
      return false;
    }

    if (!outcome || !claimed || !event) return false;

    metrics.events.inc({ result: outcome.result });
    if (outcome.result === 'applied') {
      const lagSeconds = (Date.now() - Date.parse(event.timestamp)) / 1000;
      if (Number.isFinite(lagSeconds)) metrics.timeToSync.observe(Math.max(0, lagSeconds));
    }
    const content_id = 'content_id' in event.data ? (event.data as { content_id: string }).content_id : undefined;
    logger.info(
      { event_id: claimed.event_id, event_type: event.event_type, content_id, attempt: claimed.attempts + 1, result: outcome.result },
      outcome.result === 'stale' ? 'event stale, acknowledged without change' : 'event applied',
    );
    return true;
  }

  private async recordFailure(claimed: Claimed, error: Error): Promise<void> {
    const attempts = claimed.attempts + 1;
    const failed = attempts >= this.options.maxAttempts;
    this.options.metrics.events.inc({ result: 'failed' });
    this.options.logger.error(
      { event_id: claimed.event_id, attempt: attempts, err: error },
      failed ? 'event apply failed for the last time; marked failed' : 'event apply failed; will retry',
    );
    await this.options.db.kysely
      .updateTable('inbox')
      .set({ attempts, last_error: error.message.slice(0, 2000), status: failed ? 'failed' : 'pending' })
      .where('id', '=', claimed.id)
      .execute();
  }
}
