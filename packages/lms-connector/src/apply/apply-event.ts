import type {
  ContentDeletedEvent,
  ContentTagDeprecatedEvent,
  ContentTagUpdatedEvent,
  ProficiencyBand,
  SkillDeprecatedEvent,
  SkillMappingEvent,
  SkillUpdatedEvent,
} from '@skill-mapping/shared-schema';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { enqueueAdapterTask } from '../state/adapter-tasks';
import { writeAudit } from '../state/audit';
import { loadContent, localeKey, markContentDeleted, replaceContent } from '../state/content';
import { appendChange } from '../state/feed';
import { withLowerCaseSkillIds } from '../state/skill-id';

export type ApplyOutcome =
  | { result: 'applied'; subject: string }
  | { result: 'stale'; subject: string; storedVersion: number; eventVersion: number }
  | { result: 'ignored'; subject: string };

export interface ApplyOptions {
  bands: readonly ProficiencyBand[];
  now: string;
}

/**
 * Applies one event inside the caller's transaction, which must already hold the feed lock
 * (`lockFeed`). Ordering rule: a content event wins only with a higher `metadata_version` than the
 * stored one, and a skill event only with a higher `version`. Anything else is stale: acknowledged and
 * recorded in the audit log without touching state.
 */
export async function applyEvent(trx: Kysely<Database>, input: SkillMappingEvent, options: ApplyOptions): Promise<ApplyOutcome> {
  const event = withLowerCaseSkillIds(input);
  switch (event.event_type) {
    case 'content.tag.updated':
      return applyTagUpdated(trx, event, options);
    case 'content.tag.deprecated':
      return applyTagDeprecated(trx, event, options);
    case 'content.deleted':
      return applyContentDeleted(trx, event, options);
    case 'skill.updated':
      return applySkillUpdated(trx, event, options);
    case 'skill.deprecated':
      return applySkillDeprecated(trx, event, options);
    case 'endpoint.test':
      return { result: 'ignored', subject: 'endpoint' };
  }
}

async function recordStale(
  trx: Kysely<Database>,
  event: SkillMappingEvent,
  subject: { type: 'content' | 'skill'; id: string; locale?: string },
  storedVersion: number,
  eventVersion: number,
  now: string,
): Promise<ApplyOutcome> {
  await writeAudit(trx, {
    at: now,
    event_id: event.event_id,
    action: 'stale',
    subject_type: subject.type,
    subject_id: subject.id,
    locale: subject.locale ?? null,
    detail: `${event.event_type} version ${eventVersion} is not newer than stored version ${storedVersion}`,
  });
  return { result: 'stale', subject: subject.id, storedVersion, eventVersion };
}

interface ContentApplied {
  contentId: string;
  locale: string;
  op: 'create' | 'update' | 'delete';
  metadataVersion: number;
  before?: Record<string, unknown> | null;
  after: Record<string, unknown>;
  detail?: string;
}

/**
 * Writes what every applied content event leaves behind, in the caller's transaction: the connector's
 * change feed row, the audit row and the LMS adapter task for the item.
 */
async function recordContentApplied(
  trx: Kysely<Database>,
  event: SkillMappingEvent,
  applied: ContentApplied,
  now: string,
): Promise<ApplyOutcome> {
  const { contentId, locale } = applied;

  await appendChange(trx, { content_id: contentId, locale, op: applied.op, metadata_version: applied.metadataVersion, changed_at: now });
  await writeAudit(trx, {
    at: now,
    event_id: event.event_id,
    action: 'applied',
    subject_type: 'content',
    subject_id: contentId,
    locale,
    before: applied.before,
    after: applied.after,
    detail: applied.detail,
  });
  await enqueueAdapterTask(trx, { kind: 'content', content_id: contentId, locale }, now);
  return { result: 'applied', subject: contentId };
}

async function applyTagUpdated(trx: Kysely<Database>, event: ContentTagUpdatedEvent, options: ApplyOptions): Promise<ApplyOutcome> {
  const data = event.data;
  const locale = localeKey(data.locale);
  const previous = await loadContent(trx, data.content_id, locale);
  const stored = previous.state?.metadata_version ?? 0;
  if (previous.state && data.metadata_version <= stored) {
    return recordStale(trx, event, { type: 'content', id: data.content_id, locale }, stored, data.metadata_version, options.now);
  }

  const op = await replaceContent(trx, data, previous, { bands: options.bands, now: options.now, removedReason: 'removed' });
  return recordContentApplied(
    trx,
    event,
    {
      contentId: data.content_id,
      locale,
      op,
      metadataVersion: data.metadata_version,
      before: previous.state ? { metadata_version: stored, skill_ids: activeSkillIds(previous.tags) } : null,
      after: { metadata_version: data.metadata_version, skill_ids: data.skill_tags.map((tag) => tag.skill_id), changes: data.changes },
    },
    options.now,
  );
}

async function applyTagDeprecated(
  trx: Kysely<Database>,
  event: ContentTagDeprecatedEvent,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const data = event.data;
  const locale = localeKey(data.locale);
  const previous = await loadContent(trx, data.content_id, locale);
  const stored = previous.state?.metadata_version ?? 0;
  if (previous.state && data.metadata_version <= stored) {
    return recordStale(trx, event, { type: 'content', id: data.content_id, locale }, stored, data.metadata_version, options.now);
  }

  // A withdrawal can arrive before the item's first update (delivery order is not guaranteed): the
  // version is still recorded, so the older update that follows is stale and cannot revive the tag.
  if (previous.state) {
    await trx
      .updateTable('content_state')
      .set({ metadata_version: data.metadata_version, applied_at: options.now })
      .where('content_id', '=', data.content_id)
      .where('locale', '=', locale)
      .execute();
  } else {
    await trx
      .insertInto('content_state')
      .values({
        content_id: data.content_id,
        locale,
        content_type: null,
        title: '',
        metadata_version: data.metadata_version,
        updated_at: null,
        deleted: 0,
        deleted_reason: null,
        applied_at: options.now,
        extra: null,
      })
      .execute();
  }
  await trx
    .updateTable('content_tag')
    .set({ status: 'deprecated', status_reason: data.reason, superseded_by: data.superseded_by ?? null, updated_at: options.now })
    .where('content_id', '=', data.content_id)
    .where('locale', '=', locale)
    .where('skill_id', '=', data.skill_id)
    .execute();

  return recordContentApplied(
    trx,
    event,
    {
      contentId: data.content_id,
      locale,
      op: 'update',
      metadataVersion: data.metadata_version,
      after: { metadata_version: data.metadata_version, deprecated_skill_id: data.skill_id, superseded_by: data.superseded_by ?? null },
      detail: data.reason,
    },
    options.now,
  );
}

async function applyContentDeleted(trx: Kysely<Database>, event: ContentDeletedEvent, options: ApplyOptions): Promise<ApplyOutcome> {
  const data = event.data;
  const locale = localeKey(data.locale);
  const previous = await loadContent(trx, data.content_id, locale);
  const stored = previous.state?.metadata_version ?? 0;
  if (previous.state && data.metadata_version <= stored) {
    return recordStale(trx, event, { type: 'content', id: data.content_id, locale }, stored, data.metadata_version, options.now);
  }

  await markContentDeleted(trx, { content_id: data.content_id, locale }, data.metadata_version, data.reason, previous.state, options.now);
  return recordContentApplied(
    trx,
    event,
    {
      contentId: data.content_id,
      locale,
      op: 'delete',
      metadataVersion: data.metadata_version,
      before: previous.state ? { metadata_version: stored, skill_ids: activeSkillIds(previous.tags) } : null,
      after: { metadata_version: data.metadata_version, deleted: true },
      detail: data.reason,
    },
    options.now,
  );
}

async function applySkillUpdated(trx: Kysely<Database>, event: SkillUpdatedEvent, options: ApplyOptions): Promise<ApplyOutcome> {
  const skill = event.data;
  const stored = await trx.selectFrom('skill').selectAll().where('skill_id', '=', skill.skill_id).executeTakeFirst();
  if (stored && skill.version <= stored.version) {
    return recordStale(trx, event, { type: 'skill', id: skill.skill_id }, stored.version, skill.version, options.now);
  }

  await upsertSkill(trx, skill, options.now);
  await writeAudit(trx, {
    at: options.now,
    event_id: event.event_id,
    action: 'applied',
    subject_type: 'skill',
    subject_id: skill.skill_id,
    before: stored ? { name: stored.name, version: stored.version, status: stored.status } : null,
    after: { name: skill.name, version: skill.version, status: skill.status },
  });
  await enqueueAdapterTask(trx, { kind: 'skill', skill_id: skill.skill_id }, options.now);
  return { result: 'applied', subject: skill.skill_id };
}

async function applySkillDeprecated(trx: Kysely<Database>, event: SkillDeprecatedEvent, options: ApplyOptions): Promise<ApplyOutcome> {
  const data = event.data;
  const stored = await trx.selectFrom('skill').selectAll().where('skill_id', '=', data.skill_id).executeTakeFirst();
  if (stored && data.version <= stored.version) {
    return recordStale(trx, event, { type: 'skill', id: data.skill_id }, stored.version, data.version, options.now);
  }

  if (stored) {
    await trx
      .updateTable('skill')
      .set({ status: 'deprecated', superseded_by: data.superseded_by ?? null, version: data.version, updated_at: options.now })
      .where('skill_id', '=', data.skill_id)
      .execute();
  } else {
    await trx
      .insertInto('skill')
      .values({
        skill_id: data.skill_id,
        name: data.skill_id,
        alt_names: '[]',
        description: null,
        uri: null,
        framework: null,
        status: 'deprecated',
        superseded_by: data.superseded_by ?? null,
        version: data.version,
        updated_at: options.now,
      })
      .execute();
  }
  await trx
    .updateTable('skill_mapping')
    .set({ status: 'deprecated', updated_at: options.now })
    .where('skill_id', '=', data.skill_id)
    .execute();

  await writeAudit(trx, {
    at: options.now,
    event_id: event.event_id,
    action: 'applied',
    subject_type: 'skill',
    subject_id: data.skill_id,
    before: stored ? { version: stored.version, status: stored.status } : null,
    after: { version: data.version, status: 'deprecated', superseded_by: data.superseded_by ?? null },
    detail: data.reason,
  });
  await enqueueAdapterTask(trx, { kind: 'skill', skill_id: data.skill_id }, options.now);
  return { result: 'applied', subject: data.skill_id };
}

export async function upsertSkill(trx: Kysely<Database>, skill: SkillUpdatedEvent['data'], now: string): Promise<void> {
  const row = {
    skill_id: skill.skill_id,
    name: skill.name,
    alt_names: JSON.stringify(skill.alt_names ?? []),
    description: skill.description ?? null,
    uri: skill.uri ?? null,
    framework: skill.framework ?? null,
    status: skill.status ?? 'active',
    superseded_by: skill.superseded_by ?? null,
    version: skill.version,
    updated_at: now,
  };
  await trx
    .insertInto('skill')
    .values(row)
    .onConflict((oc) => oc.column('skill_id').doUpdateSet(row))
    .execute();
  if (row.status === 'active') {
    await trx.updateTable('skill_mapping').set({ status: 'active', updated_at: now }).where('skill_id', '=', skill.skill_id).where('status', '=', 'deprecated').execute();
  }
}

function activeSkillIds(tags: Array<{ skill_id: string; status: string }>): string[] {
  return tags.filter((tag) => tag.status === 'active').map((tag) => tag.skill_id);
}
