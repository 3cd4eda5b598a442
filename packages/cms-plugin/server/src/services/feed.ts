import type { Core } from '@strapi/strapi';
import { TABLES, toIso, toNumber } from '../lib/db';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { badRequest, gone } from '../lib/errors';
import { normalizeTags, parseJsonColumn } from '../lib/tags';
import { findSkillsByIds, parseSkillRow, toSkill } from './skills-lookup';
import { findTaggedTypes } from './recorder';

/** Reads the newest change pruned by retention; a cursor before it may have missed rows. */
export async function readPrunedThrough(strapi: Core.Strapi): Promise<{ id: number; ms: number }> {
  const value = (await strapi.store({ type: 'plugin', name: 'skill-mapping', key: 'feed_pruned_through' }).get({})) as any;
  return { id: Number(value?.id ?? 0), ms: Number(value?.ms ?? 0) };
}

/**
 * Pull API queries. Pages are keyed by row id, the "s" of the cursor; "t" is the row's time, kept
 * so an expired cursor can be recognised. Change ids commit in id order (see the feed lock in the
 * recorder), so "id greater than the cursor" never skips a change, even when many changes share
 * one timestamp.
 */

export function parseLimit(value: unknown): number {
  if (value === undefined || value === '') return 100;
  const limit = Number(value);
  if (!Number.isInteger(limit)) {
    throw badRequest('LIMIT_OUT_OF_RANGE', `limit "${String(value)}" is not an integer: use an integer from 1 to 500.`, { value: String(value) });
  }
  if (limit < 1 || limit > 500) {
    throw badRequest('LIMIT_OUT_OF_RANGE', `limit "${String(value)}" is out of range: use an integer from 1 to 500.`, { value: String(value) });
  }
  return limit;
}

async function readCursor(strapi: Core.Strapi, text: unknown, checkExpiry: boolean) {
  if (text === undefined || text === '') return null;
  const cursor = decodeCursor(String(text));
  if (checkExpiry) {
    const pruned = await readPrunedThrough(strapi);
    const expired = cursor.kind === 'position' ? cursor.s < pruned.id : Date.parse(cursor.t) < pruned.ms;
    if (expired) {
      throw gone('CURSOR_EXPIRED', `cursor from ${cursor.t} is older than the change feed retention; run a full reconciliation (GET /api/skill-mapping/content) and continue from its feed cursor.`, {
        value: String(text).slice(0, 80),
      });
    }
  }
  return cursor;
}

export async function readChanges(strapi: Core.Strapi, query: Record<string, unknown>) {
  const limit = parseLimit(query.limit);
  const cursor = await readCursor(strapi, query.cursor, true);
  const knex = strapi.db.connection;

  const builder = knex(TABLES.change).select('*').orderBy('id').limit(limit + 1);
  if (cursor?.kind === 'position') builder.where('id', '>', cursor.s);
  if (cursor?.kind === 'timestamp') builder.where('changed_ms', '>=', Date.parse(cursor.t));
  const rows = await builder;

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = last
    ? encodeCursor({ t: toIso(last.changed_ms)!, s: Number(last.id) })
    : cursor?.kind === 'position'
      ? String(query.cursor)
      : await startCursor(strapi, cursor?.t);
  return {
    cursor: next,
    has_more: rows.length > limit,
    items: page.map((row: any) => ({
      content_id: row.content_id,
      content_type: row.content_type,
      ...(row.locale !== null && row.locale !== undefined ? { locale: row.locale } : {}),
      changed_at: toIso(row.changed_ms),
      op: row.op,
      metadata_version: Number(row.metadata_version),
    })),
  };
}

/** Cursor just before the first change at or after `since` (or the current end when none). */
async function startCursor(strapi: Core.Strapi, since?: string): Promise<string> {
  const knex = strapi.db.connection;
  if (since) {
    const row = await knex(TABLES.change).where('changed_ms', '<', Date.parse(since)).max({ id: 'id' }).first();
    return encodeCursor({ t: since, s: toNumber(row?.id) ?? 0 });
  }
  return encodeCursor({ t: new Date().toISOString(), s: 0 });
}

/** Returns the current feed position; replaying or reconciling from it misses nothing written later. */
export async function currentFeedCursor(strapi: Core.Strapi): Promise<string> {
  const row = await strapi.db.connection(TABLES.change).max({ id: 'id' }).first();
  return encodeCursor({ t: new Date().toISOString(), s: toNumber(row?.id) ?? 0 });
}

export function toContentSkills(row: any) {
  return {
    content_id: row.content_id,
    content_type: row.content_type,
    ...(row.locale ? { locale: row.locale } : {}),
    title: row.title ?? row.content_id,
    skill_tags: normalizeTags(parseJsonColumn(row.skill_tags)),
    metadata_version: Number(row.metadata_version),
    updated_at: toIso(row.updated_ms),
    deleted: Boolean(row.deleted),
  };
}

/**
 * Replaces the title and tags of state rows with those of the published content rows, so a full
 * reconciliation gets what the CMS serves now, including a value written behind the plugin (SQL,
 * a migration). The state table still gives the paging order, metadata_version and updated_at.
 * A row whose published content is gone is reported deleted.
 */
async function withLiveValues(strapi: Core.Strapi, rows: any[]): Promise<any[]> {
  const types = findTaggedTypes(strapi);
  const live = new Map<string, { title: string | null; tags: ReturnType<typeof normalizeTags> }>();
  for (const [uid, type] of types) {
    const ids = [...new Set(rows.filter((row) => row.content_type === uid && !row.deleted).map((row) => row.content_id))];
    if (ids.length === 0) continue;
    const select = ['documentId', ...type.fields, ...(type.titleField ? [type.titleField] : []), ...(type.localized ? ['locale'] : [])];
    const found = await strapi.db.query(uid as any).findMany({ where: { documentId: { $in: ids }, publishedAt: { $notNull: true } }, select });
    for (const entry of found as any[]) {
      const tags = type.fields.flatMap((field) => normalizeTags(parseJsonColumn(entry[field])));
      live.set(`${uid}|${entry.documentId}|${type.localized ? (entry.locale ?? '') : ''}`, { title: type.titleField ? (entry[type.titleField] ?? null) : null, tags });
    }
  }
  const skills = await findSkillsByIds(strapi.db.connection, [...new Set([...live.values()].flatMap((value) => value.tags.map((tag) => tag.skill_id)))]);
  return rows.map((row) => {
    if (row.deleted || !types.has(row.content_type)) return row;
    const current = live.get(`${row.content_type}|${row.content_id}|${row.locale ?? ''}`);
    if (!current) return { ...row, deleted: true };
    const tags = current.tags.map((tag) => ({ ...tag, skill_name: skills.get(tag.skill_id)?.name ?? tag.skill_name }));
    return { ...row, title: current.title ?? row.title, skill_tags: tags };
  });
}

export async function readContentPage(strapi: Core.Strapi, query: Record<string, unknown>) {
  const limit = parseLimit(query.limit);
  const cursor = await readCursor(strapi, query.cursor, false);
  const builder = strapi.db.connection(TABLES.state).select('*').orderBy('id').limit(limit + 1);
  if (cursor?.kind === 'position') builder.where('id', '>', cursor.s);
  if (cursor?.kind === 'timestamp') builder.where('updated_ms', '>=', Date.parse(cursor.t));
  const rows = await builder;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    cursor: last ? encodeCursor({ t: toIso(last.updated_ms)!, s: Number(last.id) }) : (query.cursor ? String(query.cursor) : encodeCursor({ t: new Date().toISOString(), s: 0 })),
    has_more: rows.length > limit,
    // The change feed position when this page was read. A client that walks every page and then
    // follows the feed from this position misses no change.
    feed_cursor: await currentFeedCursor(strapi),
    items: (await withLiveValues(strapi, page)).map(toContentSkills),
  };
}

export async function readContentItem(strapi: Core.Strapi, contentId: string, locale: string | undefined) {
  const rows = await strapi.db.connection(TABLES.state).select('*').where({ content_id: contentId }).orderBy('locale');
  const match = locale !== undefined ? rows.find((row: any) => row.locale === locale) : (rows.find((row: any) => row.locale === defaultLocale(strapi)) ?? rows[0]);
  return match ? toContentSkills((await withLiveValues(strapi, [match]))[0]) : null;
}

function defaultLocale(strapi: Core.Strapi): string {
  return (strapi.config.get('plugin::i18n.defaultLocale') as string | undefined) ?? 'en';
}

export async function readSkillsPage(strapi: Core.Strapi, query: Record<string, unknown>) {
  const limit = parseLimit(query.limit);
  const cursor = await readCursor(strapi, query.cursor, false);
  const builder = strapi.db.connection(TABLES.skill).select('*').orderBy('id').limit(limit + 1);
  if (cursor?.kind === 'position') builder.where('id', '>', cursor.s);
  const rows = await builder;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    cursor: last ? encodeCursor({ t: new Date().toISOString(), s: Number(last.id) }) : (query.cursor ? String(query.cursor) : encodeCursor({ t: new Date().toISOString(), s: 0 })),
    has_more: rows.length > limit,
    items: page.map((row: any) => toSkill(parseSkillRow(row))),
  };
}
