import { capturedLogs, eventually, startConnector, type TestConnector } from '../helpers/connector';
import { type DialectTarget, describeEachDialect } from '../helpers/dialects';
import { signedRequest, skillUpdated, tagUpdated } from '../helpers/events';
import { type MoodleDouble, startMoodleDouble } from './double/server';
import type { AdapterSkill } from '../../src/adapters/types';
import { queueCatalogPush } from '../../src/cli/moodle';
import { loadFixtureSkills } from './memory-context';

const TOKEN = 'e2e0moodle0token';
const FIXTURE_SKILLS = loadFixtureSkills();
const [PYTHON, JAVA] = FIXTURE_SKILLS as [AdapterSkill, AdapterSkill, ...AdapterSkill[]];

function pauseLines(): string[] {
  return capturedLogs.filter((line) => line.includes('LMS adapter paused'));
}

describeEachDialect('connector with the Moodle adapter', (target: DialectTarget) => {
  let double: MoodleDouble;
  let connector: TestConnector;

  async function sendEvent(event: object): Promise<void> {
    const response = await connector.post('/events', signedRequest(event));
    expect(response.status).toBe(202);
  }

  // One connector and one Moodle double per suite: the tests run in order on the same state.
  beforeAll(async () => {
    double = await startMoodleDouble();
    double.addToken(TOKEN);
    double.addCourse(5);
    connector = await startConnector({
      ...target.env(),
      LMS_ADAPTER: 'moodle',
      MOODLE_URL: double.url,
      MOODLE_TOKEN: TOKEN,
      MOODLE_SCALE_ID: '2',
      MOODLE_SCALE_MAPPING: 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2',
      ADAPTER_PROBE_INTERVAL_MS: '50',
      ADAPTER_BACKOFF_BASE_MS: '10',
      ADAPTER_BACKOFF_MAX_MS: '50',
    });
    const mapped = await fetch(`${connector.url}/mappings/content/doc-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${connector.writeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ lms_course_id: '5' }),
    });
    expect(mapped.status).toBeLessThan(300);
  });

  afterAll(async () => {
    await connector?.close();
    await double?.stop();
  });

  test('signed event reaches the course', async () => {
    await sendEvent(skillUpdated(PYTHON.skill_id, 1, PYTHON.name));
    await sendEvent(skillUpdated(JAVA.skill_id, 1, JAVA.name));

    await sendEvent(
      tagUpdated('doc-1', 1, [
        { skill_id: PYTHON.skill_id, proficiency: 'advanced' },
        { skill_id: JAVA.skill_id, confidence: 0.3, source: 'ai' },
      ]),
    );

    await eventually(() => double.courseCompetencyIdnumbers(5).includes(PYTHON.skill_id));
    const mapping = await connector.get(`/mappings/skills/${PYTHON.skill_id}`);
    const body = (await mapping.json()) as { lms_competency_id: string };
    expect(body.lms_competency_id).toBe(String(double.competencyByIdnumber(PYTHON.skill_id)?.id));
    expect(double.courseCompetencyIdnumbers(5)).toEqual([PYTHON.skill_id]);
    expect(double.competencyByIdnumber(PYTHON.skill_id)?.shortname).toBe(PYTHON.name);
  });

  test('revoked token pauses once and resumes', async () => {
    const pausesBefore = pauseLines().length;
    const rejectedBefore = double.calls.filter((call) => call.errorcode === 'invalidtoken').length;
    double.revokeToken(TOKEN);

    await sendEvent(tagUpdated('doc-1', 2, [{ skill_id: PYTHON.skill_id }, { skill_id: JAVA.skill_id }]));
    await eventually(() => pauseLines().length > pausesBefore);
    // Several probe intervals pass while the token stays revoked.
    await eventually(() => double.calls.filter((call) => call.errorcode === 'invalidtoken').length >= rejectedBefore + 4);
    const pending = await connector.get('/adapter/tasks?status=pending', connector.adminKey);
    const pendingBody = (await pending.json()) as { items: Array<{ last_error: string }> };
    double.restoreToken(TOKEN);
    await eventually(() => double.courseCompetencyIdnumbers(5).length === 2);

    const newPauses = pauseLines().slice(pausesBefore);
    expect(newPauses).toHaveLength(1);
    expect(newPauses[0]).toContain('MOODLE_TOKEN_INVALID');
    expect(pendingBody.items).toHaveLength(1);
    expect(pendingBody.items[0]?.last_error).toContain('MOODLE_TOKEN_INVALID');
    expect(double.courseCompetencyIdnumbers(5)).toEqual([JAVA.skill_id, PYTHON.skill_id].sort());
    expect(capturedLogs.some((line) => line.includes('LMS adapter resumed'))).toBe(true);
    expect(capturedLogs.filter((line) => line.includes(TOKEN))).toEqual([]);
    // Each adapter line names the adapter once, not once per child logger.
    expect(capturedLogs.filter((line) => (line.match(/"adapter":"moodle"/g) ?? []).length > 1)).toEqual([]);
  });
  test('queued catalog push creates the rest once', async () => {
    const db = connector.connector.db.kysely;
    const rest = FIXTURE_SKILLS.slice(2).map((skill) => ({
      skill_id: skill.skill_id,
      name: skill.name,
      alt_names: '[]',
      description: skill.description ?? null,
      uri: null,
      framework: 'ESCO',
      status: 'active',
      superseded_by: null,
      version: 1,
      updated_at: new Date().toISOString(),
    }));
    for (let start = 0; start < rest.length; start += 50) await db.insertInto('skill').values(rest.slice(start, start + 50)).execute();

    await queueCatalogPush({ env: { DATABASE_URL: connector.connector.config.DATABASE_URL } });
    connector.connector.adapterWorker.wake();
    await eventually(() => double.state.competencies.size === 200);
    await eventually(async () => {
      const done = await db.selectFrom('adapter_task').select('status').where('subject_key', '=', 'catalog').executeTakeFirst();
      return done?.status === 'done';
    });

    expect(double.countCalls('core_competency_create_competency')).toBe(200);
    expect(double.countCalls('core_competency_create_competency_framework')).toBe(1);
    const mapped = await db.selectFrom('skill_mapping').select('skill_id').where('lms_competency_id', 'is not', null).execute();
    expect(mapped).toHaveLength(200);
  });
});
