import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { TABLES, SKILL_TAGS_CUSTOM_FIELD, isPostgres, toJsonColumn, toNumber, type Knex } from '../lib/db';
import { diffSkillIds, normalizeTags, parseJsonColumn, sameTags, type SkillTag } from '../lib/tags';
import { validateSkillTags } from './tag-validation';
import { enqueueEvent } from './outbox';
import { getPluginConfig } from './plugin-config';
import { wakeWorker } from './worker-registry';

/**
 * Document service middleware: for every write of a content type with a skill-tags field it
 * validates the tags, then records audit, change feed, content state and outbox rows in the same
 * transaction as the content write. Terminology:
 * - draft/published row: Strapi 5 keeps one row per (documentId, locale, state).
 * - content state: the last published skill metadata per (documentId, locale), the base for
 *   `changes` and for "what emits what".
 */

const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);

// PostgreSQL commits transactions in any order, so a reader could see change id 7 before id 6
// commits and step past 6. Holding this lock from the id allocation to the commit makes change ids
// commit in order. SQLite runs one write transaction at a time already.
export const FEED_LOCK_KEY = 727_001;

interface RowSnapshot {
  locale: string;
  published: boolean;
  tags: SkillTag[];
  title: string | null;
}

export interface TaggedType {
  uid: string;
  fields: string[];
  titleField: string | null;
  localized: boolean;
}

export function findTaggedTypes(strapi: Core.Strapi): Map<string, TaggedType> {
  const result = new Map<string, TaggedType>();
  const config = getPluginConfig(strapi);
  for (const [uid, contentType] of Object.entries(strapi.contentTypes) as Array<[string, any]>) {
    if (uid.startsWith('plugin::skill-mapping.')) continue;
    const fields = Object.entries(contentType.attributes ?? {})
      .filter(([, attribute]: [string, any]) => attribute.customField === SKILL_TAGS_CUSTOM_FIELD)
      .map(([name]) => name);
    if (fields.length === 0) continue;
    const attributes = contentType.attributes ?? {};
    const titleField = config.titleFields[uid] ?? ['title', 'name'].find((name) => attributes[name]) ?? null;
    const localized = Boolean(contentType.pluginOptions?.i18n?.localized);
    result.set(uid, { uid, fields, titleField, localized });
  }
  return result;
}

export async function readRows(strapi: Core.Strapi, type: TaggedType, documentId: string): Promise<RowSnapshot[]> {
  const select = ['id', 'documentId', 'publishedAt', ...type.fields, ...(type.titleField ? [type.titleField] : [])];
  if (type.localized) select.push('locale');
  const rows = await strapi.db.query(type.uid as any).findMany({ where: { documentId }, select });
  return rows.map((row: any) => ({
    locale: type.localized ? (row.locale ?? '') : '',
    published: row.publishedAt !== null && row.publishedAt !== undefined,
    // Several skill-tags fields on one type are recorded as one tag set.
    tags: type.fields.flatMap((field) => normalizeTags(parseJsonColumn(row[field]))),
    title: type.titleField ? (row[type.titleField] ?? null) : null,
  }));
}

function currentUser(strapi: Core.Strapi) {
  const requestContext = strapi.requestContext.get() as any;
  const state = requestContext?.state;
  if (state?.auth?.strategy?.name !== 'admin' || !state.user) {
    return { user: null, ability: null };
  }
  return { user: state.user, ability: state.userAbility ?? null };
}

async function validateInput(strapi: Core.Strapi, trx: Knex, type: TaggedType, params: any, before: RowSnapshot[]) {
  const data = params?.data;
  if (!data || typeof data !== 'object') return;
  const locale = params.locale ?? null;
  const sameLocale = before.filter((row) => !type.localized || locale === null || row.locale === locale);
  const draft = sameLocale.find((row) => !row.published) ?? sameLocale[0];
  const previous = draft?.tags ?? [];
  const { ability } = currentUser(strapi);

  for (const field of type.fields) {
    if (!(field in data)) continue;
    const tags = await validateSkillTags(strapi, trx, field, data[field], previous);
    if (ability && !sameTags(tags, previous) && !ability.can('plugin::skill-mapping.content.tag')) {
      // A PolicyError, because Strapi's route handler replaces the body of any other ForbiddenError
      // with a bare 403, and the client would lose the code and the reason.
      throw new errors.PolicyError(`You may not change ${field}: the role lacks the "Tag content" permission of Skill mapping.`, {
        code: 'SKILL_TAGS_FORBIDDEN',
        field,
      });
    }
    data[field] = tags;
  }
}

export function createDocumentMiddleware(strapi: Core.Strapi) {
  let taggedTypes: Map<string, TaggedType> | null = null;

  return async (context: any, next: () => Promise<any>) => {
    if (!WRITE_ACTIONS.has(context.action)) return next();
    taggedTypes ??= findTaggedTypes(strapi);
    const type = taggedTypes.get(context.uid);
    if (!type) return next();

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      // A clone's documentId names the source; the new document has no rows before the write.
      const isClone = context.action === 'clone';
      const knownId: string | undefined = context.params?.documentId;
      const existing = knownId ? await readRows(strapi, type, knownId) : [];
      const before = isClone ? [] : existing;
      if (context.action === 'create' || context.action === 'update' || isClone) {
        await validateInput(strapi, trx, type, context.params, existing);
      }

      const result = await next();

      const documentId = isClone ? result?.documentId : (knownId ?? result?.documentId);
      if (!documentId) return result;
      const after = await readRows(strapi, type, documentId);
      const emitted = await recordChange(strapi, trx, { type, documentId, action: context.action, before, after });
      if (emitted > 0) {
        onCommit(() => wakeWorker(strapi));
      }
      return result;
    });
  };
}

interface ChangeInput {
  type: TaggedType;
  documentId: string;
  action: string;
  before: RowSnapshot[];
  after: RowSnapshot[];
}

function pick(rows: RowSnapshot[], locale: string, published: boolean) {
  return rows.find((row) => row.locale === locale && row.published === published);
}

/** Writes audit rows for every tag change and feed/outbox rows for published changes; returns outbox rows written. */
export async function recordChange(strapi: Core.Strapi, trx: Knex, input: ChangeInput): Promise<number> {
  const { type, documentId, action, before, after } = input;
  const now = Date.now();
  const { user } = currentUser(strapi);
  const locales = [...new Set([...before, ...after].map((row) => row.locale))];
  let outboxRows = 0;
  let feedLocked = false;
  let nextVersion: number | null = null;

  for (const locale of locales) {
    const beforePublished = pick(before, locale, true);
    const afterPublished = pick(after, locale, true);
    const beforeDraft = pick(before, locale, false);
    const afterDraft = pick(after, locale, false);

    const publishedBefore = beforePublished?.tags ?? [];
    const publishedAfter = afterPublished?.tags ?? [];
    const publishedChanged = !sameTags(publishedBefore, publishedAfter) || (Boolean(beforePublished) !== Boolean(afterPublished) && (publishedBefore.length > 0 || publishedAfter.length > 0));
    const draftChanged = !sameTags(beforeDraft?.tags ?? [], afterDraft?.tags ?? []);

    if (publishedChanged || draftChanged) {
      await trx(TABLES.audit).insert({
        content_type: type.uid,
        content_id: documentId,
        locale: type.localized ? locale : null,
        action,
        user_id: user?.id ?? null,
        user_email: user?.email ?? null,
        user_firstname: user?.firstname ?? null,
        user_lastname: user?.lastname ?? null,
        before: toJsonColumn(publishedChanged ? publishedBefore : (beforeDraft?.tags ?? [])),
        after: toJsonColumn(publishedChanged ? publishedAfter : (afterDraft?.tags ?? [])),
        published: publishedChanged,
        created_ms: now,
      });
    }

    const stateRow = await trx(TABLES.state).where({ content_type: type.uid, content_id: documentId, locale }).first();
    const state = stateRow
      ? { id: stateRow.id, tags: normalizeTags(parseJsonColumn(stateRow.skill_tags)), deleted: Boolean(stateRow.deleted) }
      : null;
    const live = state !== null && !state.deleted;

    let op: 'create' | 'update' | 'delete' | null = null;
    if (afterPublished) {
      if (live && sameTags(state.tags, publishedAfter)) op = null;
      else if (!live && publishedAfter.length === 0) op = null; // never tagged, or removed while unpublished
      else op = live ? 'update' : 'create';
    } else if (live) {
      op = 'delete';
    }
    if (op === null) continue;

    if (!feedLocked) {
      if (isPostgres(strapi)) await trx.raw('select pg_advisory_xact_lock(?)', [FEED_LOCK_KEY]);
      feedLocked = true;
      const maxRow = await trx(TABLES.state).where({ content_type: type.uid, content_id: documentId }).max({ v: 'metadata_version' }).first();
      nextVersion = (toNumber(maxRow?.v) ?? 0) + 1;
    }
    const metadataVersion = nextVersion!;
    nextVersion = metadataVersion + 1;

    const changeResult = await trx(TABLES.change).insert(
      { content_type: type.uid, content_id: documentId, locale: type.localized ? locale : null, op, metadata_version: metadataVersion, changed_ms: now },
      ['id'],
    );
    const changeId = Number(typeof changeResult[0] === 'object' ? changeResult[0].id : changeResult[0]);

    const title = afterPublished?.title ?? beforePublished?.title ?? null;
    const tags = op === 'delete' ? (state?.tags ?? []) : publishedAfter;
    const stateValues = {
      title,
      skill_tags: toJsonColumn(tags),
      metadata_version: metadataVersion,
      deleted: op === 'delete',
      updated_ms: now,
    };
    if (state) await trx(TABLES.state).where({ id: state.id }).update(stateValues);
    else await trx(TABLES.state).insert({ content_type: type.uid, content_id: documentId, locale, ...stateValues });

    const localeField = type.localized ? { locale } : {};
    const data =
      op === 'delete'
        ? { content_id: documentId, content_type: type.uid, ...localeField, reason: action === 'delete' ? 'deleted' : 'unpublished', metadata_version: metadataVersion }
        : {
            content_id: documentId,
            content_type: type.uid,
            ...localeField,
            title: title ?? documentId,
            skill_tags: publishedAfter,
            metadata_version: metadataVersion,
            updated_at: new Date(now).toISOString(),
            deleted: false,
            changes: diffSkillIds(live ? state.tags : [], publishedAfter),
          };
    outboxRows += await enqueueEvent(strapi, trx, {
      eventType: op === 'delete' ? 'content.deleted' : 'content.tag.updated',
      data,
      contentType: type.uid,
      contentId: documentId,
      locale: type.localized ? locale : null,
      metadataVersion,
      changeId,
      now,
    });
  }
  return outboxRows;
}
