import type { ContentSkills, ProficiencyBand, SkillTag } from '@skill-mapping/shared-schema';
import { deriveProficiency } from '@skill-mapping/shared-schema';
import type { Kysely, Selectable } from 'kysely';
import type { ContentStateTable, ContentTagTable, Database } from '../db/types';
import type { ChangeOp } from './feed';

export type ContentRow = Selectable<ContentStateTable>;
export type TagRow = Selectable<ContentTagTable>;

/** Locale key of a content item: '' stands for content without locales. */
export function localeKey(locale: string | null | undefined): string {
  return locale ?? '';
}

export async function loadContent(
  trx: Kysely<Database>,
  contentId: string,
  locale: string,
): Promise<{ state: ContentRow | undefined; tags: TagRow[] }> {
  const state = await trx
    .selectFrom('content_state')
    .selectAll()
    .where('content_id', '=', contentId)
    .where('locale', '=', locale)
    .executeTakeFirst();
  const tags = state
    ? await trx
        .selectFrom('content_tag')
        .selectAll()
        .where('content_id', '=', contentId)
        .where('locale', '=', locale)
        .orderBy('skill_id')
        .execute()
    : [];
  return { state, tags };
}

/** Returns the proficiency the LMS uses: the editor's explicit one, else the band of the confidence. */
export function effectiveProficiency(tag: Pick<SkillTag, 'confidence' | 'proficiency'>, bands: readonly ProficiencyBand[]) {
  return tag.proficiency ?? deriveProficiency(tag.confidence, bands);
}

const MODELLED_FIELDS = new Set([
  'content_id',
  'content_type',
  'locale',
  'title',
  'skill_tags',
  'metadata_version',
  'updated_at',
  'deleted',
  'changes',
]);

function extraFields(state: Record<string, unknown>): string | null {
  const extra = Object.fromEntries(Object.entries(state).filter(([key]) => !MODELLED_FIELDS.has(key)));
  return Object.keys(extra).length > 0 ? JSON.stringify(extra) : null;
}

export interface ReplaceContentOptions {
  bands: readonly ProficiencyBand[];
  now: string;
  /** Reason recorded on tags that the new state no longer contains. */
  removedReason: string;
}

/**
 * Writes the full current state of one content item: its tags become exactly the given ones (active),
 * earlier tags missing from it become `deprecated` (kept as history), and a deleted item keeps all its
 * tags as deprecated. Returns the change feed operation this write represents.
 */
export async function replaceContent(
  trx: Kysely<Database>,
  incoming: ContentSkills,
  previous: { state: ContentRow | undefined; tags: TagRow[] },
  options: ReplaceContentOptions,
): Promise<ChangeOp> {
  const locale = localeKey(incoming.locale);
  const deleted = incoming.deleted === true;
  let op: ChangeOp = 'update';
  if (deleted) op = 'delete';
  else if (!previous.state || previous.state.deleted === 1) op = 'create';

  const row = {
    content_id: incoming.content_id,
    locale,
    content_type: incoming.content_type ?? previous.state?.content_type ?? null,
    title: incoming.title,
    metadata_version: incoming.metadata_version,
    updated_at: incoming.updated_at ?? null,
    deleted: deleted ? 1 : 0,
    deleted_reason: deleted ? ((incoming as { deleted_reason?: string }).deleted_reason ?? 'deleted') : null,
    applied_at: options.now,
    extra: extraFields(incoming),
  };
  await trx
    .insertInto('content_state')
    .values(row)
    .onConflict((oc) => oc.columns(['content_id', 'locale']).doUpdateSet(row))
    .execute();

  const incomingIds = new Set(incoming.skill_tags.map((tag) => tag.skill_id));
  // A repeated skill_id in one tag list keeps its last entry, as a single upsert cannot touch a row twice.
  const uniqueTags = [...new Map(incoming.skill_tags.map((tag) => [tag.skill_id, tag])).values()];
  const tagRows = uniqueTags.map((tag) => ({
    content_id: incoming.content_id,
    locale,
    skill_id: tag.skill_id,
    skill_name: tag.skill_name,
    confidence: tag.confidence,
    proficiency: tag.proficiency ?? null,
    derived_proficiency: effectiveProficiency(tag, options.bands),
    source: tag.source ?? null,
    status: deleted ? 'deprecated' : 'active',
    status_reason: deleted ? row.deleted_reason : null,
    superseded_by: null,
    updated_at: options.now,
  }));
  // One multi-row statement each for tags and skill names keeps an apply at a fixed query count.
  if (tagRows.length > 0) {
    await trx
      .insertInto('content_tag')
      .values(tagRows)
      .onConflict((oc) =>
        oc.columns(['content_id', 'locale', 'skill_id']).doUpdateSet((eb) => ({
          skill_name: eb.ref('excluded.skill_name'),
          confidence: eb.ref('excluded.confidence'),
          proficiency: eb.ref('excluded.proficiency'),
          derived_proficiency: eb.ref('excluded.derived_proficiency'),
          source: eb.ref('excluded.source'),
          status: eb.ref('excluded.status'),
          status_reason: eb.ref('excluded.status_reason'),
          superseded_by: eb.ref('excluded.superseded_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    await rememberSkillNames(trx, uniqueTags, options.now);
  }

  const removed = previous.tags.filter((tag) => tag.status === 'active' && !incomingIds.has(tag.skill_id));
  for (const tag of removed) {
    await trx
      .updateTable('content_tag')
      .set({ status: 'deprecated', status_reason: deleted ? row.deleted_reason : options.removedReason, updated_at: options.now })
      .where('content_id', '=', tag.content_id)
      .where('locale', '=', tag.locale)
      .where('skill_id', '=', tag.skill_id)
      .execute();
  }

  return op;
}

/**
 * Marks every tag of an item deprecated and the item deleted, keeping its tags as history.
 */
export async function markContentDeleted(
  trx: Kysely<Database>,
  key: { content_id: string; locale: string },
  metadataVersion: number,
  reason: string,
  previous: ContentRow | undefined,
  now: string,
): Promise<void> {
  if (previous) {
    await trx
      .updateTable('content_state')
      .set({ deleted: 1, deleted_reason: reason, metadata_version: metadataVersion, applied_at: now })
      .where('content_id', '=', key.content_id)
      .where('locale', '=', key.locale)
      .execute();
  } else {
    await trx
      .insertInto('content_state')
      .values({
        ...key,
        content_type: null,
        title: '',
        metadata_version: metadataVersion,
        updated_at: null,
        deleted: 1,
        deleted_reason: reason,
        applied_at: now,
        extra: null,
      })
      .execute();
  }

  await trx
    .updateTable('content_tag')
    .set({ status: 'deprecated', status_reason: reason, updated_at: now })
    .where('content_id', '=', key.content_id)
    .where('locale', '=', key.locale)
    .where('status', '=', 'active')
    .execute();
}

/**
 * Stores skills seen only through a tag with version 0. The catalog and the LMS adapter then know their
 * names before the first `skill.updated` event, and any catalog event replaces them.
 */
async function rememberSkillNames(trx: Kysely<Database>, tags: SkillTag[], now: string): Promise<void> {
  const unique = new Map(tags.map((tag) => [tag.skill_id, tag.skill_name]));
  await trx
    .insertInto('skill')
    .values(
      [...unique].map(([skillId, name]) => ({
        skill_id: skillId,
        name,
        alt_names: '[]',
        description: null,
        uri: null,
        framework: null,
        status: 'active',
        superseded_by: null,
        version: 0,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.column('skill_id').doNothing())
    .execute();
}

/** Serializes the part of a content item that drift detection compares. */
export function contentFingerprint(input: {
  title: string;
  deleted: boolean;
  tags: Array<{ skill_id: string; confidence: number; proficiency?: string | null; source?: string | null }>;
}): string {
  const tags = [...input.tags]
    .sort((a, b) => a.skill_id.localeCompare(b.skill_id))
    .map((tag) => [tag.skill_id, tag.confidence, tag.proficiency ?? null, tag.source ?? null]);
  return JSON.stringify([input.title, input.deleted, input.deleted ? [] : tags]);
}

export function fingerprintOfStored(state: ContentRow, tags: TagRow[]): string {
  return contentFingerprint({
    title: state.title,
    deleted: state.deleted === 1,
    tags: tags.filter((tag) => tag.status === 'active'),
  });
}

export function fingerprintOfIncoming(item: ContentSkills): string {
  return contentFingerprint({ title: item.title, deleted: item.deleted === true, tags: item.skill_tags });
}
