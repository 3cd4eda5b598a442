import type { Issue } from '@skill-mapping/shared-schema';
import { ContentId, Uuid } from '@skill-mapping/shared-schema';
import { parse } from 'csv-parse/sync';
import { normalizeSkillId } from '../state/skill-id';

export type MappingKind = 'skill' | 'content';

export interface ParsedMappings {
  /** `skill` or `content` for the two-column files; `moodle` for a tool_lpimportcsv framework export. */
  format: 'skill' | 'content' | 'moodle';
  kind: MappingKind;
  rows: Array<{ key: string; value: string; line: number }>;
  /** Framework and grouping rows of a Moodle file, which map to no skill. */
  skipped: number;
}

export class CsvImportError extends Error {
  constructor(
    readonly code: 'CSV_INVALID' | 'CSV_HEADER_UNKNOWN' | 'CSV_ENCODING_INVALID',
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

const LMS_ID_MAX_LENGTH = 255;

/** First characters that make a spreadsheet read a cell as a formula; the export escapes them. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Removes the apostrophe the export puts before a cell that starts like a formula. */
function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

// Header cells of Moodle's tool_lpimportcsv format that identify it (Moodle writes them in English).
const MOODLE_ID_NUMBER = 'id number';
const MOODLE_IS_FRAMEWORK = 'is framework';

// Spreadsheets write ";" where "," is the decimal mark, and a tab for "Text (tab delimited)".
function detectDelimiter(text: string): ',' | ';' | '\t' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = ([',', ';', '\t'] as const).map((delimiter) => ({ delimiter, count: unquoted.split(delimiter).length - 1 }));
  counts.sort((a, b) => b.count - a.count);
  return counts[0]!.count > 0 ? counts[0]!.delimiter : ',';
}

/**
 * Parses a mapping CSV in any accepted shape: `skill_id,lms_competency_id`, `content_id,lms_course_id`,
 * or a Moodle competency framework export whose `Id number` is the skill UUID. Handles a UTF-8 BOM,
 * `,` or `;` delimiters and quoted fields. Every bad row is reported at once, with its line number.
 */
export function parseMappingCsv(input: string | Buffer): ParsedMappings {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')), relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    throw new CsvImportError('CSV_INVALID', `The file is not valid CSV: ${(error as Error).message}. Fix the quoting and import it again.`);
  }

  const [header, ...body] = records;
  if (!header) throw new CsvImportError('CSV_INVALID', 'The file is empty; it needs a header line and at least one row.');
  const columns = header.map((cell) => cell.trim().toLowerCase());

  let twoColumnKind: 'skill' | 'content' | undefined;
  if (columns[0] === 'skill_id' && columns[1] === 'lms_competency_id') twoColumnKind = 'skill';
  if (columns[0] === 'content_id' && columns[1] === 'lms_course_id') twoColumnKind = 'content';

  if (twoColumnKind && columns.length > 2) {
    throw new CsvImportError(
      'CSV_HEADER_UNKNOWN',
      `The header has columns after "${columns[0]},${columns[1]}" (${header.slice(2).join(', ').slice(0, 120)}), which the import would ignore; remove them and import the file again.`,
    );
  }
  if (twoColumnKind === 'skill') return twoColumn('skill', body, Uuid, 'skill_id', 'lms_competency_id');
  if (twoColumnKind === 'content') return twoColumn('content', body, ContentId, 'content_id', 'lms_course_id');
  if (columns.includes(MOODLE_ID_NUMBER) && columns.includes(MOODLE_IS_FRAMEWORK)) return moodleFramework(columns, body);

  throw new CsvImportError(
    'CSV_HEADER_UNKNOWN',
    `The header "${header.join(',').slice(0, 200)}" matches no accepted format; use "skill_id,lms_competency_id", "content_id,lms_course_id", or a Moodle competency framework export (tool_lpimportcsv).`,
  );
}

/**
 * Decodes UTF-8 strictly. A lenient decoder would turn the bytes of a Latin-1 or UTF-16 file into
 * U+FFFD and store names and ids silently changed.
 */
function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(slice);
      } catch {
        break;
      }
      if (end === -1) break;
      line += 1;
      start = end + 1;
    }
    throw new CsvImportError(
      'CSV_ENCODING_INVALID',
      `The file is not valid UTF-8 (first bad byte on line ${line}); save it as UTF-8 (in a spreadsheet: "CSV UTF-8") and import it again.`,
      [{ path: `line ${line}`, code: 'invalid_encoding', message: 'bytes that are not UTF-8' }],
    );
  }
}

function lmsIdIssue(value: string, column: string, line: number): Issue | undefined {
  if (value.length === 0) return { path: `line ${line}.${column}`, code: 'too_small', message: `${column} is empty` };
  if (value.length > LMS_ID_MAX_LENGTH || CONTROL_CHARACTERS.test(value)) {
    return { path: `line ${line}.${column}`, code: 'invalid_string', message: `${column} "${value.slice(0, 60)}" must be 1 to ${LMS_ID_MAX_LENGTH} characters without control characters` };
  }
  return undefined;
}

function twoColumn(
  kind: MappingKind,
  body: string[][],
  keySchema: typeof Uuid | typeof ContentId,
  keyColumn: string,
  valueColumn: string,
): ParsedMappings {
  const issues: Issue[] = [];
  const rows: ParsedMappings['rows'] = [];
  const seen = new Map<string, number>();

  body.forEach((record, index) => {
    const line = index + 2;
    const rawKey = unescapeFormula((record[0] ?? '').trim());
    const key = kind === 'skill' ? normalizeSkillId(rawKey) : rawKey;
    const value = unescapeFormula((record[1] ?? '').trim());
    if (!keySchema.safeParse(key).success) {
      issues.push({ path: `line ${line}.${keyColumn}`, code: 'invalid_format', message: `${keyColumn} "${key.slice(0, 60)}" is not a valid ${kind === 'skill' ? 'UUID' : 'content id'}` });
    }
    const valueIssue = lmsIdIssue(value, valueColumn, line);
    if (valueIssue) issues.push(valueIssue);
    if (record.slice(2).some((cell) => cell.trim() !== '')) {
      issues.push({ path: `line ${line}`, code: 'too_big', message: `line ${line} has ${record.length} cells; the file has two columns, ${keyColumn} and ${valueColumn}` });
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issues.push({ path: `line ${line}.${keyColumn}`, code: 'duplicate', message: `${keyColumn} "${key.slice(0, 60)}" already appears on line ${earlier}` });
    }
    seen.set(key, line);
    rows.push({ key, value, line });
  });

  if (issues.length > 0) throw invalidRows(issues);
  return { format: kind, kind, rows, skipped: 0 };
}

function moodleFramework(columns: string[], body: string[][]): ParsedMappings {
  const idNumberAt = columns.indexOf(MOODLE_ID_NUMBER);
  const frameworkAt = columns.indexOf(MOODLE_IS_FRAMEWORK);
  const issues: Issue[] = [];
  const rows: ParsedMappings['rows'] = [];
  let skipped = 0;

  body.forEach((record, index) => {
    const line = index + 2;
    const idNumber = normalizeSkillId((record[idNumberAt] ?? '').trim());
    // The framework row and grouping competencies (idnumbers that are not UUIDs) map to no skill.
    if ((record[frameworkAt] ?? '').trim() === '1' || !Uuid.safeParse(idNumber).success) {
      skipped += 1;
      return;
    }
    // The "Exported id" column contains the competency's id on the site that wrote the file, which may
    // be another site, so trusting it could point a skill at an unrelated competency. The row therefore
    // records the idnumber itself, and the LMS adapter resolves it to this site's id.
    rows.push({ key: idNumber, value: idNumber, line });
  });

  if (issues.length > 0) throw invalidRows(issues);
  return { format: 'moodle', kind: 'skill', rows, skipped };
}

function invalidRows(issues: Issue[]): CsvImportError {
  return new CsvImportError('CSV_INVALID', `${issues.length} row(s) are invalid; nothing was imported. Fix every listed line and import the file again.`, issues);
}
