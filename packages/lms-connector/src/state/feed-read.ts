import { decodeCursor, encodeCursor } from '@skill-mapping/shared-schema';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types';

export class FeedCursorError extends Error {
  constructor(
    readonly code: 'CURSOR_INVALID' | 'CURSOR_EXPIRED',
    message: string,
  ) {
    super(message);
  }
}

export interface FeedPage {
  cursor: string;
  has_more: boolean;
  items: Array<{ content_id: string; locale: string | null; changed_at: string; op: string; metadata_version: number; seq: number }>;
}

/**
 * Reads the change feed after a cursor, in sequence order. Sequence numbers are handed out under the
 * feed lock and committed in order (see `lockFeed`), so reading `seq > cursor` never skips a change,
 * and the sequence inside the cursor distinguishes equal timestamps.
 */
export async function readFeed(db: Kysely<Database>, cursorText: string | undefined, limit: number): Promise<FeedPage> {
  const counter = await db.selectFrom('feed_counter').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();

  let query = db.selectFrom('change_feed').selectAll().orderBy('seq').limit(limit + 1);
  let emptyCursor: string;

  if (cursorText === undefined) {
    if (counter.pruned_through > 0) query = query.where('seq', '>', counter.pruned_through);
    emptyCursor = encodeCursor({ t: counter.pruned_before ?? '1970-01-01T00:00:00.000Z', s: counter.pruned_through });
  } else {
    let decoded;
    try {
      decoded = decodeCursor(cursorText);
    } catch {
      throw new FeedCursorError('CURSOR_INVALID', `Cursor "${cursorText.slice(0, 80)}" is invalid; pass back a cursor returned by the feed or an RFC 3339 timestamp.`);
    }

    if (decoded.kind === 'position') {
      if (decoded.s < counter.pruned_through) {
        throw new FeedCursorError('CURSOR_EXPIRED', `Cursor points before the feed's retention window (sequence ${decoded.s} < ${counter.pruned_through}); run a full reconciliation and restart from its cursor.`);
      }
      // A position past the head was issued by a database that has since lost changes (a restore from
      // an older backup). Serving from here would skip the changes made again under those numbers.
      if (decoded.s > counter.last_seq) {
        throw new FeedCursorError('CURSOR_EXPIRED', `Cursor is ahead of the feed (sequence ${decoded.s} > head ${counter.last_seq}), as after a restore of the connector's database from a backup; run a full reconciliation and restart from its cursor.`);
      }
      query = query.where('seq', '>', decoded.s);
      emptyCursor = cursorText;
    } else {
      const start = new Date(decoded.t).toISOString();
      if (counter.pruned_before && start <= counter.pruned_before) {
        throw new FeedCursorError('CURSOR_EXPIRED', `Start ${decoded.t} is before the feed's retention window (${counter.pruned_before}); run a full reconciliation instead.`);
      }
      query = query.where('changed_at', '>=', start);
      emptyCursor = cursorText;
    }
  }

  const rows = await query.execute();
  const has_more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];

  return {
    cursor: last ? encodeCursor({ t: last.changed_at, s: last.seq }) : emptyCursor,
    has_more,
    items: page.map((row) => ({
      content_id: row.content_id,
      locale: row.locale === '' ? null : row.locale,
      changed_at: row.changed_at,
      op: row.op,
      metadata_version: row.metadata_version,
      seq: row.seq,
    })),
  };
}
