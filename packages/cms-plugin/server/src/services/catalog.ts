import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { parse as parseCsv } from 'csv-parse/sync';
import { TABLES, toJsonColumn, type Knex } from '../lib/db';
import { badRequest, notFound } from '../lib/errors';
import { normalizeTags, parseJsonColumn } from '../lib/tags';
import { enqueueEvent } from './outbox';
import { findSkillUsage } from './skill-usage';
import { findSkillsByIds, parseSkillRow, toSkill, type SkillRow } from './skills-lookup';
import { findTaggedTypes, readRows, recordChange } from './recorder';
import { wakeWorker } from './worker-registry';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CSV_COLUMNS = ['id', 'uri', 'name', 'alt_names', 'description', 'group'];

export interface SkillInput {
  skill_id: string;
  name: string;
  alt_names: string[];
  description: string | null;
  uri: string | null;
  framework: string | null;
  group: string | null;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Array<{ row: number; reason: string }>;
}

/** Returns a 24-character lowercase id in the style of Strapi's document ids. */
function newDocumentId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(24);
  return 'sk' + Array.from(bytes.subarray(0, 22), (byte) => alphabet[byte % alphabet.length]).join('');
}

function searchText(skill: { name: string; alt_names: string[] }): string {
  return [skill.name, ...skill.alt_names].join(' | ').toLowerCase();
}

function emptyToNull(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

const ESCO_URI_PREFIX = 'http://data.europa.eu/esco/';
/** Length of Strapi `string` columns (varchar(255) on PostgreSQL). */
const STRING_COLUMN_MAX = 255;

/**
 * Turns one CSV or JSON record into a skill, or returns why it is rejected. Every import path (the
 * admin API, the Skills page, the example app's scripts) goes through here, so one input row always
 * gives one record: without a framework in the row or the request, an ESCO concept URI means "ESCO".
 */
function toSkillInput(record: Record<string, unknown>, framework: string | null): SkillInput | string {
  const skillId = emptyToNull(record.skill_id ?? record.id);
  const name = emptyToNull(record.name);
  if (!skillId || !UUID.test(skillId)) return `id "${String(skillId ?? '')}" is not a UUID; ESCO concept ids look like 9bc3b9ae-50d8-4a32-857e-8cf8d9b4ba8e`;
  if (!name) return `skill ${skillId} has no name`;
  const rawAlt = record.alt_names;
  const altNames = (Array.isArray(rawAlt) ? rawAlt.map(String) : String(rawAlt ?? '').split('|'))
    .map((alt) => alt.trim())
    .filter((alt) => alt !== '' && alt !== name);
  const uri = emptyToNull(record.uri);
  const resolvedFramework = emptyToNull(record.framework) ?? framework ?? (uri?.startsWith(ESCO_URI_PREFIX) ? 'ESCO' : null);
  const group = emptyToNull(record.group);
  for (const [column, value] of [['name', name], ['uri', uri], ['framework', resolvedFramework], ['group', group]] as const) {
    if (value !== null && value.length > STRING_COLUMN_MAX) {
      return `skill ${skillId}: ${column} has ${value.length} characters; the limit is ${STRING_COLUMN_MAX}, shorten it`;
    }
  }
  return {
    skill_id: skillId.toLowerCase(),
    name,
    alt_names: [...new Set(altNames)],
    description: emptyToNull(record.description),
    uri,
    framework: resolvedFramework,
    group,
  };
}

export function parseImport(format: unknown, content: unknown, framework: string | null = null): { skills: Array<{ row: number; skill: SkillInput }>; rejected: ImportReport['rejected'] } {
  if (typeof content !== 'string' || content.trim() === '') {
    throw badRequest('IMPORT_EMPTY', 'content is empty: send the CSV text or a JSON array of skills in "content".');
  }
  let records: Record<string, unknown>[];
  if (format === 'csv') {
    try {
      records = parseCsv(content, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true, trim: true });
    } catch (error: any) {
      throw badRequest('IMPORT_CSV_INVALID', `CSV could not be parsed: ${error.message}. Use the ESCO header ${CSV_COLUMNS.join(',')}.`);
    }
    const header = Object.keys(records[0] ?? {});
    if (!header.includes('id') || !header.includes('name')) {
      throw badRequest('IMPORT_CSV_INVALID', `CSV header "${header.join(',')}" lacks id or name; use ${CSV_COLUMNS.join(',')}.`, { value: header.join(',') });
    }
  } else if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error: any) {
      throw badRequest('IMPORT_JSON_INVALID', `JSON could not be parsed: ${error.message}.`);
    }
    if (!Array.isArray(parsed)) throw badRequest('IMPORT_JSON_INVALID', 'JSON content must be an array of skills.');
    records = parsed as Record<string, unknown>[];
  } else {
    throw badRequest('IMPORT_FORMAT_INVALID', `format "${String(format)}" is not supported; use "csv" or "json".`, { value: String(format) });
  }

  const skills: Array<{ row: number; skill: SkillInput }> = [];
  const rejected: ImportReport['rejected'] = [];
  records.forEach((record, index) => {
    // Row numbers count the CSV header as row 1, so they match a spreadsheet view.
    const row = format === 'csv' ? index + 2 : index + 1;
    const result = record && typeof record === 'object' ? toSkillInput(record, framework) : 'not an object';
    if (typeof result === 'string') rejected.push({ row, reason: result });
    else skills.push({ row, skill: result });
  });
  return { skills, rejected };
}

function differs(existing: SkillRow, next: SkillInput): boolean {
  return (
    existing.name !== next.name ||
    JSON.stringify(existing.alt_names) !== JSON.stringify(next.alt_names) ||
    existing.description !== next.description ||
    existing.uri !== next.uri ||
    existing.group !== next.group ||
    existing.framework !== next.framework
  );
}

/**
 * Creates new skills and updates changed ones in one transaction; a changed skill gets version + 1
 * and a `skill.updated` event. Importing the same file twice changes nothing.
 */
export async function importSkills(strapi: Core.Strapi, parsed: ReturnType<typeof parseImport>): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, rejected: [...parsed.rejected] };
  const seen = new Set<string>();
  const unique = parsed.skills.filter(({ row, skill }) => {
    if (seen.has(skill.skill_id)) {
      report.rejected.push({ row, reason: `skill ${skill.skill_id} appears twice in the file; the first row was kept` });
      return false;
    }
    seen.add(skill.skill_id);
    return true;
  });

  let queued = 0;
  await strapi.db.transaction(async ({ trx, onCommit }) => {
    const existing = await findSkillsByIds(trx, unique.map(({ skill }) => skill.skill_id));
    const now = Date.now();
    const toInsert: Record<string, unknown>[] = [];
    for (const { skill } of unique) {
      const current = existing.get(skill.skill_id);
      if (!current) {
        // document_id and published_at let Strapi's document service see rows inserted here.
        toInsert.push({ ...skillColumns(skill), document_id: newDocumentId(), status: 'active', version: 1, created_at: new Date(now), updated_at: new Date(now), published_at: new Date(now) });
        continue;
      }
      if (!differs(current, skill)) {
        report.unchanged += 1;
        continue;
      }
      const version = current.version + 1;
      await trx(TABLES.skill).where({ id: current.id }).update({ ...skillColumns(skill), version, updated_at: new Date(now) });
      report.updated += 1;
      const updated = { ...current, ...skill, version };
      queued += await enqueueEvent(strapi, trx, { eventType: 'skill.updated', data: toSkill(updated), contentType: null, contentId: null, locale: null, metadataVersion: null, changeId: null, now });
    }
    for (let start = 0; start < toInsert.length; start += 200) {
      await trx(TABLES.skill).insert(toInsert.slice(start, start + 200));
    }
    report.created = toInsert.length;
    if (queued > 0) onCommit(() => wakeWorker(strapi));
  });
  strapi.log.info(`[skill-mapping] skill import created=${report.created} updated=${report.updated} unchanged=${report.unchanged} rejected=${report.rejected.length}`);
  return report;
}

function skillColumns(skill: SkillInput) {
  return {
    skill_id: skill.skill_id,
    name: skill.name,
    alt_names: toJsonColumn(skill.alt_names),
    description: skill.description,
    uri: skill.uri,
    framework: skill.framework,
    group: skill.group,
    search_text: searchText(skill),
  };
}

async function successorNames(knex: Knex, skills: SkillRow[]): Promise<Map<string, string>> {
  const ids = skills.map((skill) => skill.superseded_by).filter((id): id is string => Boolean(id));
  const found = await findSkillsByIds(knex, ids);
  return new Map([...found.values()].map((skill) => [skill.skill_id, skill.name]));
}

function withSuccessor(skills: SkillRow[], names: Map<string, string>) {
  return skills.map((skill) => {
    if (skill.status !== 'deprecated') return toSkill(skill);
    const successorName = skill.superseded_by ? (names.get(skill.superseded_by) ?? null) : null;
    return toSkill(skill, successorName);
  });
}

/** Type-ahead over name and alternative names; names that start with the query come first. */
export async function searchSkills(strapi: Core.Strapi, query: { q?: unknown; limit?: unknown; includeDeprecated?: unknown; ids?: unknown }) {
  if (typeof query.ids === 'string' && query.ids.trim() !== '') {
    return lookupSkills(strapi, query.ids);
  }
  const q = String(query.q ?? '').trim().toLowerCase();
  const limit = Math.min(Math.max(Number.parseInt(String(query.limit ?? '20'), 10) || 20, 1), 100);
  const knex = strapi.db.connection;
  const builder = knex(TABLES.skill).select('*');
  if (q) builder.where('search_text', 'like', `%${q.replace(/[%_]/g, (c) => `\\${c}`)}%`);
  if (String(query.includeDeprecated) !== 'true') builder.where({ status: 'active' });
  builder
    .orderByRaw('CASE WHEN LOWER(name) = ? THEN 0 WHEN LOWER(name) LIKE ? THEN 1 ELSE 2 END', [q, `${q}%`])
    .orderBy('name')
    .limit(limit);
  const skills = (await builder).map(parseSkillRow);
  return { results: withSuccessor(skills, await successorNames(knex, skills)) };
}

/** Returns the skills with the given comma-separated ids, deprecated ones included, so the field can show successors. */
async function lookupSkills(strapi: Core.Strapi, idsText: string) {
  const ids = idsText.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean);
  if (ids.length > 100) {
    throw badRequest('SKILL_IDS_TOO_MANY', `ids lists ${ids.length} skills; ask for at most 100 per request.`, { value: ids.length });
  }
  const knex = strapi.db.connection;
  const skills = [...(await findSkillsByIds(knex, ids)).values()];
  return { results: withSuccessor(skills, await successorNames(knex, skills)) };
}

export async function listSkills(strapi: Core.Strapi, query: Record<string, unknown>, paging: { page: number; pageSize: number; offset: number }) {
  const knex = strapi.db.connection;
  const q = String(query.q ?? '').trim().toLowerCase();
  const apply = (builder: Knex) => {
    if (q) builder.where('search_text', 'like', `%${q}%`);
    if (query.status === 'active' || query.status === 'deprecated') builder.where({ status: query.status });
    return builder;
  };
  const total = Number((await apply(knex(TABLES.skill)).count({ n: '*' }).first())?.n ?? 0);
  const skills = (await apply(knex(TABLES.skill).select('*')).orderBy('name').limit(paging.pageSize).offset(paging.offset)).map(parseSkillRow);
  return { results: withSuccessor(skills, await successorNames(knex, skills)), total };
}

/**
 * Deprecates a skill (version + 1, `skill.deprecated`). With a successor, every content item that
 * uses the skill is rewritten to it, and each item whose published tags change emits its own
 * `content.tag.updated`.
 */
export async function deprecateSkill(strapi: Core.Strapi, skillId: string, body: { reason?: unknown; superseded_by?: unknown }) {
  const reason = emptyToNull(body.reason);
  if (!reason) throw badRequest('DEPRECATION_REASON_MISSING', 'reason is missing: say why the skill is deprecated, e.g. "merged into a broader skill".');
  const successorId = emptyToNull(body.superseded_by)?.toLowerCase() ?? null;

  return strapi.db.transaction(async ({ trx, onCommit }) => {
    const skills = await findSkillsByIds(trx, [skillId, ...(successorId ? [successorId] : [])]);
    const skill = skills.get(skillId.toLowerCase());
    if (!skill) throw notFound('SKILL_NOT_FOUND', `skill ${skillId} is not in the catalog; check the skill_id.`, { value: skillId });
    if (successorId) {
      const successor = skills.get(successorId);
      if (!successor || successorId === skill.skill_id) {
        throw badRequest('SUCCESSOR_INVALID', `superseded_by ${successorId} must be another skill in the catalog.`, { value: successorId });
      }
      if (successor.status !== 'active') {
        throw badRequest('SUCCESSOR_INVALID', `superseded_by ${successorId} (${successor.name}) is deprecated itself; pick an active skill.`, { value: successorId });
      }
    }

    const version = skill.version + 1;
    const now = Date.now();
    await trx(TABLES.skill).where({ id: skill.id }).update({ status: 'deprecated', superseded_by: successorId, deprecation_reason: reason, version, updated_at: new Date(now) });
    const queued = await enqueueEvent(strapi, trx, {
      eventType: 'skill.deprecated',
      data: { skill_id: skill.skill_id, ...(successorId ? { superseded_by: successorId } : {}), reason, version },
      contentType: null,
      contentId: null,
      locale: null,
      metadataVersion: null,
      changeId: null,
      now,
    });
    if (queued > 0) onCommit(() => wakeWorker(strapi));

    const rewritten = successorId ? await rewriteToSuccessor(strapi, trx, skill.skill_id, skills.get(successorId)!) : 0;
    if (rewritten > 0) onCommit(() => wakeWorker(strapi));
    const updated = parseSkillRow(await trx(TABLES.skill).where({ id: skill.id }).first());
    return { skill: toSkill(updated, successorId ? (skills.get(successorId)?.name ?? null) : null), rewritten };
  });
}

async function rewriteToSuccessor(strapi: Core.Strapi, trx: Knex, skillId: string, successor: SkillRow): Promise<number> {
  const usage = await findSkillUsage(strapi, skillId, trx);
  const types = findTaggedTypes(strapi);
  const items = new Map<string, { uid: string; documentId: string }>();
  for (const item of usage) items.set(`${item.uid}:${item.documentId}`, { uid: item.uid, documentId: item.documentId });

  const rewrite = (value: unknown) => {
    const tags = normalizeTags(parseJsonColumn(value));
    const hasSuccessor = tags.some((tag) => tag.skill_id === successor.skill_id);
    return tags
      .filter((tag) => !(hasSuccessor && tag.skill_id === skillId))
      .map((tag) => (tag.skill_id === skillId ? { ...tag, skill_id: successor.skill_id, skill_name: successor.name } : tag));
  };

  let rewritten = 0;
  for (const item of items.values()) {
    const type = types.get(item.uid)!;
    // Each row (draft and published, every locale) is rewritten in place. Going through the
    // document service would need a publish, which would also publish the editor's unreviewed
    // draft edits. The change is recorded as the middleware records a save.
    const before = await readRows(strapi, type, item.documentId);
    const rows = await strapi.db.query(item.uid as any).findMany({ where: { documentId: item.documentId }, select: ['id', ...type.fields] });
    for (const row of rows) {
      const data: Record<string, unknown> = {};
      for (const field of type.fields) data[field] = rewrite(row[field]);
      await strapi.db.query(item.uid as any).update({ where: { id: row.id }, data });
    }
    const after = await readRows(strapi, type, item.documentId);
    await recordChange(strapi, trx, { type, documentId: item.documentId, action: 'update', before, after });
    rewritten += new Set(after.map((row) => row.locale)).size;
  }
  return rewritten;
}
