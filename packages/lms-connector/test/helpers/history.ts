import { DEFAULT_PROFICIENCY_BANDS, parseEvent } from '@skill-mapping/shared-schema';
import fc from 'fast-check';
import { applyEvent } from '../../src/apply/apply-event';
import { type Db, openDb } from '../../src/db/connection';
import { migrateToLatest } from '../../src/db/migrations';
import { lockFeed } from '../../src/state/feed';
import { contentDeleted, SKILLS, tagUpdated } from './events';

export type Generated = ReturnType<typeof tagUpdated> | ReturnType<typeof contentDeleted>;

/** Events for a few items, each version used once per item, as the CMS emits them. */
export function historyArbitrary(items: string[] = ['a', 'b', 'c'], maxLength = 25, minLength = 1) {
  return fc
  .array(
    fc.record({
      item: fc.constantFrom(...items),
      locale: fc.constantFrom(null, 'fr'),
      deleted: fc.boolean(),
      tags: fc.subarray(SKILLS.slice(0, 6)),
      confidence: fc.constantFrom(0.4, 0.6, 0.8, 0.9, 1),
    }),
    { minLength, maxLength },
  )
  .map((steps) => {
    const versions = new Map<string, number>();
    return steps.map((step): Generated => {
      const key = `${step.item}|${step.locale}`;
      const version = (versions.get(key) ?? 0) + 1;
      versions.set(key, version);
      return step.deleted
        ? contentDeleted(step.item, version, step.locale)
        : tagUpdated(step.item, version, step.tags.map((skill_id) => ({ skill_id, confidence: step.confidence })), { locale: step.locale, title: `${step.item} v${version}` });
    });
  });
}

export async function applyAll(db: Db, events: Generated[]): Promise<void> {
  for (const raw of events) {
    const parsed = parseEvent(JSON.parse(JSON.stringify(raw)));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx);
      await applyEvent(trx, parsed.event, { bands: DEFAULT_PROFICIENCY_BANDS, now: '2026-08-01T00:00:00.000Z' });
    });
  }
}

/**
 * Reads the canonical state of every item. A deleted item is compared by version only, because
 * `content.deleted` carries no title: a delete that arrives before the item's first update leaves it empty.
 */
export async function snapshot(db: Db) {
  const rows = await db.kysely.selectFrom('content_state').select(['content_id', 'locale', 'title', 'metadata_version', 'deleted']).orderBy('content_id').orderBy('locale').execute();
  const states = rows.map((row) => (row.deleted === 1 ? { ...row, title: null } : row));
  const tags = await db.kysely.selectFrom('content_tag').select(['content_id', 'locale', 'skill_id', 'status', 'confidence', 'derived_proficiency']).where('status', '=', 'active').orderBy('content_id').orderBy('locale').orderBy('skill_id').execute();
  return { states, tags };
}

export async function freshDb(): Promise<Db> {
  const db = openDb(':memory:');
  await migrateToLatest(db.kysely, db.dialect);
  return db;
}

