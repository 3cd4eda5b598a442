import { ContentId, Uuid } from '@skill-mapping/shared-schema';
import type { Kysely } from 'kysely';
import type { Db } from '../db/connection';
import type { Database } from '../db/types';
import { normalizeSkillId } from '../state/skill-id';
import { enqueueAdapterTask } from '../state/adapter-tasks';
import { writeAudit } from '../state/audit';
import { CsvImportError, type MappingKind, type ParsedMappings } from './csv-import';

export class MappingError extends Error {
  constructor(
    readonly code: 'MAPPING_INVALID' | 'MAPPING_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export interface ImportReport {
  format: ParsedMappings['format'];
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export function checkKey(kind: MappingKind, key: string): void {
  const valid = kind === 'skill' ? Uuid.safeParse(key).success : ContentId.safeParse(key).success;
  if (!valid) {
    throw new MappingError('MAPPING_INVALID', kind === 'skill' ? `skill_id "${key.slice(0, 80)}" is not a UUID; use the skill's global UUID.` : `content_id "${key.slice(0, 80)}" is invalid; use 1 to 255 characters without control characters.`);
  }
}

export function checkLmsId(column: string, value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) value = String(value);
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255 || CONTROL_CHARACTERS.test(value)) {
    throw new MappingError('MAPPING_INVALID', `${column} ${JSON.stringify(value)?.slice(0, 80)} is invalid; send a non-empty string of at most 255 characters, e.g. {"${column}": "42"}.`);
  }
  return value.trim();
}

/** A Moodle record id: what the Moodle adapter needs once a competency reference is resolved. */
export const MOODLE_ID = /^[1-9]\d{0,15}$/;

/**
 * Rejects a competency id the configured LMS cannot use. Moodle ids are positive integers; an idnumber
 * (the skill UUID) only comes from a framework CSV, which the adapter then resolves.
 */
export function checkCompetencyIdForLms(lmsAdapter: string, value: string): void {
  if (lmsAdapter === 'moodle' && !MOODLE_ID.test(value)) {
    throw new MappingError(
      'MAPPING_INVALID',
      `lms_competency_id "${value.slice(0, 80)}" is not a Moodle competency id; with LMS_ADAPTER=moodle send the competency's numeric id, e.g. {"lms_competency_id": "42"}, or delete the mapping and let the adapter find the competency by its idnumber (the skill UUID).`,
    );
  }
}

interface WriteOptions {
  /** A framework CSV row: the skill is in the framework, but an id the adapter already resolved is kept. */
  keepResolved?: boolean;
}

async function writeOne(trx: Kysely<Database>, kind: MappingKind, key: string, value: string, now: string, options: WriteOptions = {}): Promise<'created' | 'updated' | 'unchanged'> {
  if (kind === 'skill') {
    const before = await trx.selectFrom('skill_mapping').selectAll().where('skill_id', '=', key).executeTakeFirst();
    if (before?.lms_competency_id === value) return 'unchanged';
    if (before && options.keepResolved && MOODLE_ID.test(before.lms_competency_id)) return 'unchanged';
    const skill = await trx.selectFrom('skill').select('status').where('skill_id', '=', key).executeTakeFirst();
    const row = { skill_id: key, lms_competency_id: value, status: skill?.status === 'deprecated' ? 'deprecated' : 'active', updated_at: now };
    await trx.insertInto('skill_mapping').values(row).onConflict((oc) => oc.column('skill_id').doUpdateSet(row)).execute();
    await writeAudit(trx, { at: now, action: 'mapping', subject_type: 'skill_mapping', subject_id: key, before: before ?? null, after: row });
    await enqueueAdapterTask(trx, { kind: 'skill', skill_id: key }, now);
    return before ? 'updated' : 'created';
  }

  const before = await trx.selectFrom('content_mapping').selectAll().where('content_id', '=', key).executeTakeFirst();
  if (before?.lms_course_id === value) return 'unchanged';
  const row = { content_id: key, lms_course_id: value, updated_at: now };
  await trx.insertInto('content_mapping').values(row).onConflict((oc) => oc.column('content_id').doUpdateSet(row)).execute();
  await writeAudit(trx, { at: now, action: 'mapping', subject_type: 'content_mapping', subject_id: key, before: before ?? null, after: row });
  // The item's links must move from the old course to the new one, in every locale.
  const locales = await trx.selectFrom('content_state').select('locale').where('content_id', '=', key).execute();
  for (const { locale } of locales) await enqueueAdapterTask(trx, { kind: 'content', content_id: key, locale }, now);
  return before ? 'updated' : 'created';
}

export async function putMapping(db: Db, kind: MappingKind, key: string, value: string, lmsAdapter = 'none'): Promise<'created' | 'updated' | 'unchanged'> {
  checkKey(kind, key);
  if (kind === 'skill') key = normalizeSkillId(key);
  if (kind === 'skill') checkCompetencyIdForLms(lmsAdapter, value);
  const now = new Date().toISOString();
  return db.kysely.transaction().execute((trx) => writeOne(trx, kind, key, value, now));
}

export async function deleteMapping(db: Db, kind: MappingKind, key: string): Promise<void> {
  if (kind === 'skill') key = normalizeSkillId(key);
  const now = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const table = kind === 'skill' ? 'skill_mapping' : 'content_mapping';
    const column = kind === 'skill' ? 'skill_id' : 'content_id';
    const result = await trx.deleteFrom(table).where(column, '=', key).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new MappingError('MAPPING_NOT_FOUND', `No ${kind} mapping for "${key.slice(0, 80)}"; list mappings with GET /mappings/skills.`);
    }
    await writeAudit(trx, { at: now, action: 'mapping', subject_type: kind === 'skill' ? 'skill_mapping' : 'content_mapping', subject_id: key, detail: 'deleted' });
  });
}

/** Writes every parsed row in one transaction: a failure leaves the table as it was. */
export async function importMappings(db: Db, parsed: ParsedMappings, lmsAdapter = 'none'): Promise<ImportReport> {
  if (parsed.format === 'skill') {
    const issues = parsed.rows
      .filter((row) => lmsAdapter === 'moodle' && !MOODLE_ID.test(row.value))
      .map((row) => ({ path: `line ${row.line}.lms_competency_id`, code: 'invalid_format', message: `lms_competency_id "${row.value.slice(0, 60)}" is not a Moodle competency id (a positive integer), which LMS_ADAPTER=moodle needs` }));
    if (issues.length > 0) {
      throw new CsvImportError('CSV_INVALID', `${issues.length} row(s) are invalid; nothing was imported. Fix every listed line and import the file again.`, issues);
    }
  }
  const now = new Date().toISOString();
  const options: WriteOptions = { keepResolved: parsed.format === 'moodle' };
  const report: ImportReport = { format: parsed.format, rows: parsed.rows.length, created: 0, updated: 0, unchanged: 0, skipped: parsed.skipped };
  await db.kysely.transaction().execute(async (trx) => {
    for (const row of parsed.rows) report[await writeOne(trx, parsed.kind, row.key, row.value, now, options)] += 1;
  });
  return report;
}
