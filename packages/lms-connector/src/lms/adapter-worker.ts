import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AdapterError, type AdapterContext, type AdapterTask, type LmsAdapter } from '../adapters/types';
import type { Db } from '../db/connection';

export interface AdapterWorkerOptions {
  db: Db;
  adapter: LmsAdapter;
  context: AdapterContext;
  logger: Logger;
  pollIntervalMs: number;
  probeIntervalMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claimed task stays invisible to other processes while its adapter call runs. */
  leaseMs: number;
}

interface ClaimedTask {
  id: number;
  subject_key: string;
  task: string;
  generation: number;
  attempts: number;
}

const plus = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Runs LMS adapter tasks. Tasks are claimed with a lease because the adapter call happens outside any
 * transaction, where a row lock cannot cover it. Every release checks that this worker still owns the
 * row. `retryable` failures stay pending with exponential backoff and full jitter, `permanent` ones
 * are marked failed, and `paused` stops all claims until `probe` succeeds.
 *
 * NOTE: one task runs at a time per process, so LMS calls are never concurrent within a process. The
 * adaptive concurrency that sets the reconciliation page size is not applied to LMS calls.
 */
export class AdapterWorker {
  private readonly workerId = randomUUID();
  private running = false;
  private paused = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: AdapterWorkerOptions) {}

  get isPaused(): boolean {
    return this.paused;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loopDone;
  }

  wake(): void {
    this.wakeUp?.();
  }

  /** Runs due tasks until none is left or the adapter pauses; returns how many ran. */
  async drain(): Promise<number> {
    let count = 0;
    while (!this.paused && (await this.runNext())) count += 1;
    return count;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (this.paused) await this.probe();
        else await this.drain();
      } catch (error) {
        this.options.logger.error({ err: error }, 'adapter worker loop failed; retrying after the poll interval');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.paused ? this.options.probeIntervalMs : this.options.pollIntervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async probe(): Promise<void> {
    const { adapter, context, logger } = this.options;
    try {
      if (adapter.probe) await adapter.probe(context);
    } catch (error) {
      logger.debug({ err: error }, 'LMS adapter probe failed; still paused');
      return;
    }
    this.paused = false;
    logger.info('LMS adapter resumed; pending tasks run again');
  }

  private async claim(): Promise<ClaimedTask | undefined> {
    const { db } = this.options;
    const now = new Date().toISOString();
    return db.kysely.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('adapter_task')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(1);
      if (db.dialect === 'postgres') due = due.forUpdate().skipLocked();
      const row = await due.executeTakeFirst();
      if (!row) return undefined;
      return trx
        .updateTable('adapter_task')
        .set({ locked_by: this.workerId, locked_until: plus(this.options.leaseMs) })
        .where('id', '=', row.id)
        .returning(['id', 'subject_key', 'task', 'generation', 'attempts'])
        .executeTakeFirst();
    });
  }

  /** Runs the next due task; returns false when none was due. */
  async runNext(): Promise<boolean> {
    const claimed = await this.claim();
    if (!claimed) return false;

    const { adapter, context, logger } = this.options;
    const task = JSON.parse(claimed.task) as AdapterTask;
    const attempt = claimed.attempts + 1;
    const log = logger.child({ task_id: claimed.id, subject: claimed.subject_key, attempt });

    try {
      await adapter.run(task, context);
    } catch (error) {
      await this.recordFailure(claimed, error, log);
      return !this.paused;
    }

    await this.release(claimed, { status: 'done', last_error: null, attempts: 0 }, true);
    log.debug('adapter task done');
    return true;
  }

  private async recordFailure(claimed: ClaimedTask, error: unknown, log: Logger): Promise<void> {
    const kind = error instanceof AdapterError ? error.kind : 'retryable';
    const code = error instanceof AdapterError ? error.code : 'ADAPTER_ERROR';
    const message = `${code}: ${(error as Error).message ?? String(error)}`.slice(0, 2000);
    const attempts = claimed.attempts + 1;

    if (kind === 'paused') {
      this.paused = true;
      await this.release(claimed, { last_error: message }, false);
      log.error({ code }, `LMS adapter paused: ${(error as Error).message}. Tasks stay pending; fix the LMS side, the connector probes every ${this.options.probeIntervalMs} ms`);
      return;
    }
    if (kind === 'permanent') {
      await this.release(claimed, { status: 'failed', last_error: message, attempts }, true);
      log.error({ code, err: error }, 'adapter task failed permanently; fix the cause and replay it');
      return;
    }

    // Full jitter: a random delay up to the exponential cap spreads retries of many tasks.
    const cap = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** Math.min(attempts - 1, 30));
    const delay = Math.round(Math.random() * cap);
    await this.release(claimed, { last_error: message, attempts, next_attempt_at: plus(delay) }, false);
    log.warn({ code, delay_ms: delay, err: error }, 'adapter task failed; will retry');
  }

  /**
   * Releases the claim. A `done` or `failed` status is written only when no newer request for the
   * subject arrived while the adapter ran (same generation). Otherwise the row stays pending.
   */
  private async release(
    claimed: ClaimedTask,
    values: { status?: string; last_error?: string | null; attempts?: number; next_attempt_at?: string },
    final: boolean,
  ): Promise<void> {
    const { db } = this.options;
    const now = new Date().toISOString();
    const base = { locked_by: null, locked_until: null, updated_at: now };
    if (final) {
      const result = await db.kysely
        .updateTable('adapter_task')
        .set({ ...base, ...values })
        .where('id', '=', claimed.id)
        .where('locked_by', '=', this.workerId)
        .where('generation', '=', claimed.generation)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return;
      const { status: _status, attempts: _attempts, ...rest } = values;
      await db.kysely.updateTable('adapter_task').set({ ...base, ...rest }).where('id', '=', claimed.id).where('locked_by', '=', this.workerId).execute();
      return;
    }
    await db.kysely.updateTable('adapter_task').set({ ...base, ...values }).where('id', '=', claimed.id).where('locked_by', '=', this.workerId).execute();
  }
}
