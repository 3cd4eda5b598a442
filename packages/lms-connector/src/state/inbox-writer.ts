import type { Insertable } from 'kysely';
import type { Db } from '../db/connection';
import type { InboxTable } from '../db/types';

interface Pending {
  row: Insertable<InboxTable>;
  resolve(result: 'inserted' | 'duplicate'): void;
  reject(error: unknown): void;
}

/** Largest number of events written by one inbox statement. */
const MAX_BATCH = 200;

/**
 * Inserts verified events into the inbox with group commit: events that arrive while earlier
 * batches are being written are written together by the next multi-row insert. Each caller's
 * promise settles only after the statement that contains its row has committed, so a 202 still
 * means the event is durable. Duplicates, also within one batch, resolve as 'duplicate' through the
 * unique `event_id`. SQLite has one connection, so one batch runs at a time there; PostgreSQL runs
 * a few at once so that commit waits overlap.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];
  private readonly maxInFlight: number;

  constructor(private readonly db: Db) {
    this.maxInFlight = db.dialect === 'postgres' ? 4 : 1;
  }

  /** Resolves when no insert is queued or being written, so other writers can give ingest priority. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  insert(row: Insertable<InboxTable>): Promise<'inserted' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && !this.scheduled;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // Waiting one turn of the event loop lets the requests that are already parsed join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.writeBatch();
    });
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.inFlight += 1;
    this.schedule();

    try {
      // One multi-row statement: one round trip and one commit for the whole batch.
      const insertedRows = await this.db.kysely
        .insertInto('inbox')
        .values(batch.map((pending) => pending.row))
        .onConflict((oc) => oc.column('event_id').doNothing())
        .returning('event_id')
        .execute();
      const inserted = new Set(insertedRows.map((row) => row.event_id));
      // Of several deliveries of one event in the same batch, the first counts as the insert.
      for (const pending of batch) pending.resolve(inserted.delete(pending.row.event_id) ? 'inserted' : 'duplicate');
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.inFlight -= 1;
      this.schedule();
      if (this.isIdle()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
