import type { Insertable } from 'kysely';
import type { Db } from '../db/connection';
import type { InboxTable } from '../db/types';

interface Pending {
  row: Insertable<InboxTable>;
  resolve(result: 'inserted' | 'duplicate'): void;
  reject(error: unknown): void;
}

/** Largest number of events written by one inbox transaction. */
const MAX_BATCH = 200;

/**
 * Inserts verified events into the inbox with group commit: events that arrive while a transaction
 * is being prepared or running are written together in the next one. Each caller's promise settles
 * only after the transaction that contains its row has committed, so a 202 still means the event is
 * durable. Duplicates (also within one batch) resolve as 'duplicate' through the unique `event_id`.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly db: Db) {}

  /** Resolves when no insert is queued or being written, so other writers can give ingest priority. */
  whenIdle(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  insert(row: Insertable<InboxTable>): Promise<'inserted' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        // One multi-row statement (one round trip, one commit) for the whole batch.
        const insertedRows = await this.db.kysely
          .insertInto('inbox')
          .values(batch.map((pending) => pending.row))
          .onConflict((oc) => oc.column('event_id').doNothing())
          .returning('event_id')
          .execute();
        const inserted = new Set(insertedRows.map((row) => row.event_id));
        // Of several deliveries of one event in the same batch, the first counts as the insert.
        const results = batch.map((pending): 'inserted' | 'duplicate' => (inserted.delete(pending.row.event_id) ? 'inserted' : 'duplicate'));
        batch.forEach((pending, index) => pending.resolve(results[index]!));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
