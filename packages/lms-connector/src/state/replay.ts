import type { Db } from '../db/connection';
import { enqueueAdapterTask } from './adapter-tasks';
import { readFeed } from './feed-read';

/**
 * Queues an LMS adapter task for every content item changed after the cursor, so the LMS is brought
 * in line again (for example after restoring the LMS from a backup). Tasks coalesce per item.
 */
export async function replayFrom(db: Db, from: string): Promise<{ changes: number; tasks: number; cursor: string }> {
  let cursor: string | undefined = from;
  let changes = 0;
  const subjects = new Set<string>();

  for (;;) {
    const page = await readFeed(db.kysely, cursor, 500);
    const now = new Date().toISOString();
    await db.kysely.transaction().execute(async (trx) => {
      for (const item of page.items) {
        const locale = item.locale ?? '';
        subjects.add(`${item.content_id}\u0000${locale}`);
        await enqueueAdapterTask(trx, { kind: 'content', content_id: item.content_id, locale }, now);
      }
    });
    changes += page.items.length;
    cursor = page.cursor;
    if (!page.has_more) break;
  }
  return { changes, tasks: subjects.size, cursor: cursor! };
}
