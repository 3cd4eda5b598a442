import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createMoodleAdapter } from '../../src/adapters/moodle';
import type { AdapterSkill } from '../../src/adapters/types';
import { loadConfig } from '../../src/config';
import { eventually, startConnector, type TestConnector } from '../helpers/connector';
import { type DialectTarget, describeEachDialect } from '../helpers/dialects';
import { signedRequest, tagUpdated } from '../helpers/events';
import { type MoodleDouble, startMoodleDouble } from './double/server';
import { loadFixtureSkills, MemoryState } from './memory-context';

const TOKEN = 'framework0import0token';
const SCALE_MAPPING = 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2';
const FRAMEWORK_CSV = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'moodle_competency_framework_esco200.csv'), 'utf8');
const [PYTHON, JAVA] = loadFixtureSkills() as [AdapterSkill, AdapterSkill, ...AdapterSkill[]];

describeEachDialect('framework CSV import with the Moodle adapter', (target: DialectTarget) => {
  let double: MoodleDouble;
  let connector: TestConnector;

  const send = (pathname: string, method: string, body: string, contentType: string) =>
    fetch(`${connector.url}${pathname}`, { method, body, headers: { authorization: `Bearer ${connector.writeKey}`, 'content-type': contentType } });

  beforeAll(async () => {
    double = await startMoodleDouble();
    double.addToken(TOKEN);
    double.addCourse(5);
    const moodleEnv = { MOODLE_URL: double.url, MOODLE_TOKEN: TOKEN, MOODLE_SCALE_ID: '2', MOODLE_SCALE_MAPPING: SCALE_MAPPING };

    // Moodle already has JAVA's competency (as after a framework import on the site), PYTHON's not.
    const seeding = createMoodleAdapter({ config: loadConfig({}), env: moodleEnv, logger: pino({ level: 'silent' }), metrics: { lmsCall: () => undefined } });
    await seeding.run({ kind: 'skill', skill_id: JAVA.skill_id }, new MemoryState([JAVA]).context());

    connector = await startConnector({ ...target.env(), LMS_ADAPTER: 'moodle', ...moodleEnv, ADAPTER_BACKOFF_BASE_MS: '10', ADAPTER_BACKOFF_MAX_MS: '50' });
  });

  afterAll(async () => {
    await connector?.close();
    await double?.stop();
  });

  test('framework rows map skills and the adapter resolves their ids', async () => {
    const imported = await send('/mappings/import', 'POST', FRAMEWORK_CSV, 'text/csv');
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { created: number }).created).toBe(200);
    expect((await send('/mappings/content/doc-1', 'PUT', JSON.stringify({ lms_course_id: '5' }), 'application/json')).status).toBe(200);

    const db = connector.connector.db.kysely;
    // The import queued a task per skill; they find no catalog entry yet and finish without a call.
    await eventually(async () => (await db.selectFrom('adapter_task').select('id').where('status', '!=', 'done').execute()).length === 0);
    const now = new Date().toISOString();
    await db
      .insertInto('skill')
      .values([PYTHON, JAVA].map((skill) => ({ skill_id: skill.skill_id, name: skill.name, alt_names: '[]', description: skill.description ?? null, uri: null, framework: 'ESCO', status: 'active', superseded_by: null, version: 1, updated_at: now })))
      .execute();
    const createsBefore = double.countCalls('core_competency_create_competency');

    const event = await connector.post('/events', signedRequest(tagUpdated('doc-1', 1, [{ skill_id: PYTHON.skill_id, proficiency: 'advanced' }, { skill_id: JAVA.skill_id, proficiency: 'expert' }])));
    expect(event.status).toBe(202);
    await eventually(() => double.courseCompetencyIdnumbers(5).length === 2);

    expect(double.courseCompetencyIdnumbers(5)).toEqual([JAVA.skill_id, PYTHON.skill_id].sort());
    // JAVA was found by its idnumber; only PYTHON's competency was created.
    expect(double.countCalls('core_competency_create_competency') - createsBefore).toBe(1);
    for (const skill of [PYTHON, JAVA]) {
      const mapping = (await (await connector.get(`/mappings/skills/${skill.skill_id}`)).json()) as { lms_competency_id: string };
      expect(mapping.lms_competency_id).toBe(String(double.competencyByIdnumber(skill.skill_id)?.id));
    }
    const failed = await db.selectFrom('adapter_task').select('last_error').where('status', '=', 'failed').execute();
    expect(failed).toEqual([]);
    const unmapped = (await (await connector.get('/mappings/unmapped')).json()) as { items: unknown[] };
    expect(unmapped.items).toEqual([]);
  });

  test('a competency id that is not a Moodle id is refused', async () => {
    const response = await send(`/mappings/skills/${PYTHON.skill_id}`, 'PUT', JSON.stringify({ lms_competency_id: 'abc' }), 'application/json');
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('MAPPING_INVALID');
    expect(problem.detail).toContain('"abc"');
    expect(problem.detail).toContain('LMS_ADAPTER=moodle');

    const csv = await send('/mappings/import', 'POST', `skill_id,lms_competency_id\n${JAVA.skill_id},java-1\n`, 'text/csv');
    expect(csv.status).toBe(400);
    expect(((await csv.json()) as { code: string }).code).toBe('CSV_INVALID');

    const mapping = (await (await connector.get(`/mappings/skills/${PYTHON.skill_id}`)).json()) as { lms_competency_id: string };
    expect(mapping.lms_competency_id).toBe(String(double.competencyByIdnumber(PYTHON.skill_id)?.id));
    expect((await send(`/mappings/skills/${PYTHON.skill_id}`, 'PUT', JSON.stringify({ lms_competency_id: '42' }), 'application/json')).status).toBe(200);
  });
});
