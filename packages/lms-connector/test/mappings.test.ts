import fs from 'node:fs';
import path from 'node:path';
import { parseMappingCsv } from '../src/mappings/csv-import';
import { signedRequest, SKILLS, tagUpdated } from './helpers/events';
import { describeEachDialect } from './helpers/dialects';
import { leakedSecrets, startConnector, type TestConnector } from './helpers/connector';

const FRAMEWORK_CSV = fs.readFileSync(path.join(__dirname, 'fixtures/moodle_competency_framework_esco200.csv'), 'utf8');
const PYTHON_SKILL = 'ccd0a1d9-afda-43d9-b901-96344886e14d';

describe('mapping CSV parser', () => {
  test('skill file with BOM and semicolons', () => {
    const parsed = parseMappingCsv(`\uFEFFskill_id;lms_competency_id\n${SKILLS[0]};"12"\n${SKILLS[1]};13\n`);
    expect(parsed.format).toBe('skill');
    expect(parsed.rows.map((row) => [row.key, row.value])).toEqual([[SKILLS[0], '12'], [SKILLS[1], '13']]);
  });

  test('content file with quoted commas', () => {
    const parsed = parseMappingCsv('content_id,lms_course_id\n"doc,1",7\ndoc-2,7\n');
    expect(parsed.kind).toBe('content');
    expect(parsed.rows.map((row) => row.key)).toEqual(['doc,1', 'doc-2']);
  });

  test('Moodle framework export', () => {
    const parsed = parseMappingCsv(FRAMEWORK_CSV);
    expect(parsed.format).toBe('moodle');
    expect(parsed.rows).toHaveLength(200);
    expect(parsed.skipped).toBe(4);
    // The exported id belongs to the site that wrote the file; the row keeps the idnumber for the adapter.
    expect(parsed.rows.find((row) => row.key === PYTHON_SKILL)?.value).toBe(PYTHON_SKILL);
    expect(parsed.rows.every((row) => row.value === row.key)).toBe(true);
  });

  test('bytes that are not UTF-8 are rejected with their line', () => {
    const latin1 = Buffer.concat([Buffer.from(`content_id,lms_course_id\ndoc-1,7\ncaf`), Buffer.from([0xe9]), Buffer.from(',8\n')]);
    expect(() => parseMappingCsv(latin1)).toThrow(expect.objectContaining({ code: 'CSV_ENCODING_INVALID', message: expect.stringContaining('line 3') }));
    expect(parseMappingCsv(Buffer.from('content_id,lms_course_id\ncafé,8\n')).rows[0]?.key).toBe('café');
  });

  test('tab-separated file is read', () => {
    const parsed = parseMappingCsv(`skill_id\tlms_competency_id\n${SKILLS[0]}\t12\n`);
    expect(parsed.rows.map((row) => [row.key, row.value])).toEqual([[SKILLS[0], '12']]);
  });

  test('extra columns are rejected, not dropped', () => {
    expect(() => parseMappingCsv(`skill_id,lms_competency_id,note\n${SKILLS[0]},12,x\n`)).toThrow(expect.objectContaining({ code: 'CSV_HEADER_UNKNOWN', message: expect.stringContaining('note') }));
    try {
      parseMappingCsv(`skill_id,lms_competency_id\n${SKILLS[0]},12,stray\n${SKILLS[1]},13,\n`);
      throw new Error('expected a CsvImportError');
    } catch (error) {
      expect((error as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path)).toEqual(['line 2']);
    }
  });

  test('header-only file imports nothing; empty file is rejected', () => {
    expect(parseMappingCsv('skill_id,lms_competency_id\n').rows).toEqual([]);
    expect(() => parseMappingCsv('')).toThrow(expect.objectContaining({ code: 'CSV_INVALID' }));
  });

  test('unknown header is rejected with the reason', () => {
    expect(() => parseMappingCsv('id,course\n1,2\n')).toThrow(expect.objectContaining({ code: 'CSV_HEADER_UNKNOWN', message: expect.stringContaining('skill_id,lms_competency_id') }));
  });

  test('bad rows are all reported', () => {
    try {
      parseMappingCsv(`skill_id,lms_competency_id\nnot-a-uuid,1\n${SKILLS[0]},\n${SKILLS[1]},3\n${SKILLS[1]},4\n`);
      throw new Error('expected a CsvImportError');
    } catch (error) {
      const issues = (error as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path);
      expect(issues).toEqual(['line 2.skill_id', 'line 3.lms_competency_id', 'line 5.skill_id']);
    }
  });
});

describeEachDialect('mapping API', (target) => {
  let t: TestConnector;

  beforeAll(async () => {
    t = await startConnector(target.env());
  });

  afterAll(async () => {
    await t.close();
    expect(leakedSecrets()).toEqual([]);
  });

  const authed = (key: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` } });

  test('framework import maps 200 skills', async () => {
    const response = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body: FRAMEWORK_CSV, headers: { 'content-type': 'text/csv' } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ format: 'moodle', rows: 200, created: 200, updated: 0, unchanged: 0, skipped: 4 });

    const again = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body: FRAMEWORK_CSV, headers: { 'content-type': 'text/csv' } }));
    expect(((await again.json()) as { unchanged: number }).unchanged).toBe(200);

    const python = await t.get(`/mappings/skills/${PYTHON_SKILL}`);
    expect(((await python.json()) as { lms_competency_id: string }).lms_competency_id).toBe(PYTHON_SKILL);

    // A resolved LMS id survives a later framework import of the same skill.
    await fetch(`${t.url}/mappings/skills/${PYTHON_SKILL}`, authed(t.writeKey, { method: 'PUT', body: JSON.stringify({ lms_competency_id: '5' }), headers: { 'content-type': 'application/json' } }));
    const third = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body: FRAMEWORK_CSV, headers: { 'content-type': 'text/csv' } }));
    expect(((await third.json()) as { unchanged: number }).unchanged).toBe(200);
    const resolved = await t.get(`/mappings/skills/${PYTHON_SKILL}`);
    expect(((await resolved.json()) as { lms_competency_id: string }).lms_competency_id).toBe('5');
  });

  test('invalid import writes nothing', async () => {
    const body = `skill_id,lms_competency_id\n${SKILLS[9]},900\nbroken,1\n`;
    const response = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body, headers: { 'content-type': 'text/csv' } }));
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; issues: unknown[] };
    expect(problem.code).toBe('CSV_INVALID');
    expect(problem.issues).toHaveLength(1);
    expect((await t.get(`/mappings/skills/${SKILLS[9]}`)).status).toBe(404);
  });

  test('a Latin-1 file is 400 CSV_ENCODING_INVALID and writes nothing', async () => {
    const body = Buffer.concat([Buffer.from('content_id,lms_course_id\nlatin-doc,7\ncaf'), Buffer.from([0xe9]), Buffer.from(',8\n')]);
    const response = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body, headers: { 'content-type': 'text/csv' } }));
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('CSV_ENCODING_INVALID');
    expect(problem.detail).toContain('line 3');
    expect((await t.get('/mappings/content/latin-doc')).status).toBe(404);
  });

  test('unknown header is 400 CSV_HEADER_UNKNOWN', async () => {
    const response = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('CSV_HEADER_UNKNOWN');
  });

  test('put, page, export and delete', async () => {
    const put = await fetch(`${t.url}/mappings/skills/${SKILLS[0]}`, authed(t.writeKey, { method: 'PUT', body: JSON.stringify({ lms_competency_id: '41' }), headers: { 'content-type': 'application/json' } }));
    expect(put.status).toBe(200);
    const course = await fetch(`${t.url}/mappings/content/course-m`, authed(t.writeKey, { method: 'PUT', body: JSON.stringify({ lms_course_id: 7 }), headers: { 'content-type': 'application/json' } }));
    expect(course.status).toBe(200);
    const readOnly = await fetch(`${t.url}/mappings/skills/${SKILLS[0]}`, authed(t.readKey, { method: 'PUT', body: JSON.stringify({ lms_competency_id: '1' }), headers: { 'content-type': 'application/json' } }));
    expect(readOnly.status).toBe(403);
    const invalid = await fetch(`${t.url}/mappings/skills/${SKILLS[0]}`, authed(t.writeKey, { method: 'PUT', body: JSON.stringify({ lms_competency_id: '' }), headers: { 'content-type': 'application/json' } }));
    expect(invalid.status).toBe(400);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (await t.get(`/mappings/skills?limit=150${query}`)).json()) as { cursor: string | null; has_more: boolean; items: Array<{ skill_id: string }> };
      ids.push(...page.items.map((item) => item.skill_id));
      cursor = page.has_more ? page.cursor : null;
    } while (cursor);
    expect(ids).toHaveLength(201);
    expect(new Set(ids).size).toBe(201);

    const csv = await (await t.get('/mappings/export')).text();
    expect(csv.split('\n')[0]).toBe('skill_id,lms_competency_id');
    expect(csv).toContain(`${SKILLS[0]},41`);
    expect(csv.trim().split('\n')).toHaveLength(202);

    const deleted = await fetch(`${t.url}/mappings/skills/${SKILLS[0]}`, authed(t.writeKey, { method: 'DELETE' }));
    expect(deleted.status).toBe(204);
    expect((await t.get(`/mappings/skills/${SKILLS[0]}`)).status).toBe(404);
  });

  test('export escapes formulas and imports back unchanged', async () => {
    const contentId = '=HYPERLINK("http://127.0.0.1/x","open")';
    const put = await fetch(`${t.url}/mappings/content/${encodeURIComponent(contentId)}`, authed(t.writeKey, { method: 'PUT', body: JSON.stringify({ lms_course_id: '9' }), headers: { 'content-type': 'application/json' } }));
    expect(put.status).toBe(200);

    const csv = await (await t.get('/mappings/export?type=content')).text();
    const line = csv.split('\n').find((row) => row.includes('HYPERLINK'));
    expect(line).toBe(`"'=HYPERLINK(""http://127.0.0.1/x"",""open"")",9`);

    const reimported = await fetch(`${t.url}/mappings/import`, authed(t.writeKey, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }));
    expect(reimported.status).toBe(200);
    const report = (await reimported.json()) as { created: number; unchanged: number };
    expect(report.created).toBe(0);
    expect(report.unchanged).toBeGreaterThan(0);
  });

  test('tagged item shows mappings; unmapped listed', async () => {
    await fetch(`${t.url}/mappings/skills/${SKILLS[1]}`, authed(t.writeKey, { method: 'PUT', body: JSON.stringify({ lms_competency_id: '77' }), headers: { 'content-type': 'application/json' } }));
    await t.post('/events', signedRequest(tagUpdated('course-m', 1, [{ skill_id: SKILLS[1]! }, { skill_id: SKILLS[2]!, confidence: 0.75 }, { skill_id: PYTHON_SKILL, confidence: 0.96 }])));
    await t.drain();

    const item = (await (await t.get('/content/course-m')).json()) as { lms_course_id: string; skill_tags: Array<{ skill_id: string; lms_competency_id: string | null; derived_proficiency: string }> };
    expect(item.lms_course_id).toBe('7');
    const bySkill = Object.fromEntries(item.skill_tags.map((tag) => [tag.skill_id, tag]));
    expect(bySkill[SKILLS[1]!]!.lms_competency_id).toBe('77');
    expect(bySkill[SKILLS[2]!]!.lms_competency_id).toBeNull();
    expect(bySkill[SKILLS[2]!]!.derived_proficiency).toBe('intermediate');
    expect(bySkill[PYTHON_SKILL]!.lms_competency_id).toBe('5');
    expect(bySkill[PYTHON_SKILL]!.derived_proficiency).toBe('expert');

    const unmapped = (await (await t.get('/mappings/unmapped')).json()) as { items: Array<{ skill_id: string; tag_count: number }> };
    expect(unmapped.items).toEqual([expect.objectContaining({ skill_id: SKILLS[2], tag_count: 1 })]);
  });
});

describe('proficiency bands', () => {
  test('PROFICIENCY_BANDS changes derivation', async () => {
    const t = await startConnector({ PROFICIENCY_BANDS: 'beginner:0.2,expert:0.9' });
    try {
      await t.post('/events', signedRequest(tagUpdated('course-b', 1, [{ skill_id: SKILLS[0]!, confidence: 0.3 }, { skill_id: SKILLS[1]!, confidence: 0.1 }, { skill_id: SKILLS[2]!, confidence: 0.3, proficiency: 'advanced' }])));
      await t.drain();
      const item = (await (await t.get('/content/course-b')).json()) as { skill_tags: Array<{ skill_id: string; derived_proficiency: string | null; confidence: number }> };
      const derived = Object.fromEntries(item.skill_tags.map((tag) => [tag.skill_id, tag.derived_proficiency]));
      expect(derived).toEqual({ [SKILLS[0]!]: 'beginner', [SKILLS[1]!]: null, [SKILLS[2]!]: 'advanced' });
    } finally {
      await t.close();
    }
  });
});
