import type { Core } from '@strapi/strapi';
import { TABLES, isPostgres, pagination, toIso, toJsonColumn, toNumber } from '../lib/db';
import { badRequest, notFound } from '../lib/errors';
import { normalizeTags, parseJsonColumn } from '../lib/tags';
import { enqueueEvent } from './outbox';
import { FEED_LOCK_KEY, findTaggedTypes } from './recorder';
import { wakeWorker } from './worker-registry';

export async function listAudit(strapi: Core.Strapi, query: Record<string, any>, paging: { page: number; pageSize: number; offset: number }) {
  const knex = strapi.db.connection;
  const apply = (builder: any) => (query.content_id ? builder.where({ content_id: String(query.content_id) }) : builder);
  const total = Number((await apply(knex(TABLES.audit)).count({ n: '*' }).first())?.n ?? 0);
  const rows = await apply(knex(TABLES.audit).select('*')).orderBy('id', 'desc').limit(paging.pageSize).offset(paging.offset);
  return {
    results: rows.map((row: any) => ({
      id: Number(row.id),
      content_id: row.content_id,
      content_type: row.content_type,
      locale: row.locale ?? null,
      action: row.action,
      user: row.user_id ? { id: Number(row.user_id), email: row.user_email, firstname: row.user_firstname ?? null, lastname: row.user_lastname ?? null } : null,
      before: normalizeTags(parseJsonColumn(row.before)),
      after: normalizeTags(parseJsonColumn(row.after)),
      published: Boolean(row.published),
      created_at: toIso(row.created_ms),
    })),
    pagination: pagination(paging.page, paging.pageSize, total),
  };
}

/**
 * Withdraws one wrong tag: removes it from the item's draft and published rows, records audit and
 * feed rows, and emits `content.tag.deprecated` (not `content.tag.updated`), all in one transaction.
 * The rows are changed through the query engine so the document middleware does not emit a
 * second event for the same change.
 */
export async function withdrawTag(strapi: Core.Strapi, body: Record<string, any>, user: any) {
  const type = findTaggedTypes(strapi).get(String(body.content_type));
  if (!type) throw badRequest('CONTENT_TYPE_INVALID', `content_type "${String(body.content_type)}" has no skill-tags field.`, { value: String(body.content_type) });
  const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
  if (!reason) throw badRequest('WITHDRAW_REASON_MISSING', 'reason is missing: say why the tag is wrong; the receiver stores it with the deprecated link.');
  const contentId = String(body.content_id ?? '');
  const skillId = String(body.skill_id ?? '').toLowerCase();
  const locale = type.localized ? String(body.locale ?? strapi.config.get('plugin::i18n.defaultLocale') ?? 'en') : '';
  const supersededBy = typeof body.superseded_by === 'string' && body.superseded_by !== '' ? body.superseded_by.toLowerCase() : undefined;

  const result = await strapi.db.transaction(async ({ trx, onCommit }) => {
    const state = await trx(TABLES.state).where({ content_type: type.uid, content_id: contentId, locale }).first();
    const stateTags = state ? normalizeTags(parseJsonColumn(state.skill_tags)) : [];
    if (!state || state.deleted || !stateTags.some((tag) => tag.skill_id === skillId)) {
      throw notFound('TAG_NOT_FOUND', `published content "${contentId}"${locale ? ` (${locale})` : ''} has no tag for skill ${skillId}; check the audit view for the right item and locale.`, {
        value: skillId,
      });
    }

    const rows = await strapi.db.query(type.uid as any).findMany({ where: { documentId: contentId, ...(type.localized ? { locale } : {}) } });
    for (const row of rows) {
      const data: Record<string, unknown> = {};
      for (const field of type.fields) data[field] = normalizeTags(parseJsonColumn(row[field])).filter((tag) => tag.skill_id !== skillId);
      await strapi.db.query(type.uid as any).update({ where: { id: row.id }, data });
    }

    if (isPostgres(strapi)) await trx.raw('select pg_advisory_xact_lock(?)', [FEED_LOCK_KEY]);
    const maxRow = await trx(TABLES.state).where({ content_type: type.uid, content_id: contentId }).max({ v: 'metadata_version' }).first();
    const metadataVersion = (toNumber(maxRow?.v) ?? 0) + 1;
    const now = Date.now();
    const after = stateTags.filter((tag) => tag.skill_id !== skillId);

    await trx(TABLES.audit).insert({
      content_type: type.uid,
      content_id: contentId,
      locale: type.localized ? locale : null,
      action: 'withdraw',
      user_id: user?.id ?? null,
      user_email: user?.email ?? null,
      user_firstname: user?.firstname ?? null,
      user_lastname: user?.lastname ?? null,
      before: toJsonColumn(stateTags),
      after: toJsonColumn(after),
      published: true,
      created_ms: now,
    });
    const inserted = await trx(TABLES.change).insert(
      { content_type: type.uid, content_id: contentId, locale: type.localized ? locale : null, op: 'update', metadata_version: metadataVersion, changed_ms: now },
      ['id'],
    );
    const changeId = Number(typeof inserted[0] === 'object' ? inserted[0].id : inserted[0]);
    await trx(TABLES.state).where({ id: state.id }).update({ skill_tags: toJsonColumn(after), metadata_version: metadataVersion, updated_ms: now });
    const queued = await enqueueEvent(strapi, trx, {
      eventType: 'content.tag.deprecated',
      data: { content_id: contentId, ...(type.localized ? { locale } : {}), skill_id: skillId, reason, ...(supersededBy ? { superseded_by: supersededBy } : {}), metadata_version: metadataVersion },
      contentType: type.uid,
      contentId,
      locale: type.localized ? locale : null,
      metadataVersion,
      changeId,
      now,
    });
    if (queued > 0) onCommit(() => wakeWorker(strapi));
    const event = await trx(TABLES.outbox).select('event_id').where({ change_id: changeId }).first();
    return { event_id: event?.event_id ?? null, metadata_version: metadataVersion };
  });
  strapi.log.info(`[skill-mapping] tag withdrawn content_id=${contentId} skill_id=${skillId} metadata_version=${result.metadata_version}`);
  return result;
}
