import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createMoodleAdapter } from '../../src/adapters/moodle';
import { AdapterError, type AdapterSkill, type LmsAdapter } from '../../src/adapters/types';
import { type MoodleDouble, startMoodleDouble } from './double/server';
import { loadFixtureSkills, MemoryState } from './memory-context';

const TOKEN = 'f00dcafe';
const SCALE_MAPPING = 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2';
const SKILLS = loadFixtureSkills();
const [PYTHON, JAVA, JAVASCRIPT, TYPESCRIPT] = SKILLS as [AdapterSkill, AdapterSkill, AdapterSkill, AdapterSkill];

let double: MoodleDouble;
let metricCalls: Array<[string, string]>;

function createAdapter(env: Record<string, string> = {}): LmsAdapter {
  return createMoodleAdapter({
    config: loadConfig({}),
    env: {
      MOODLE_URL: double.url,
      MOODLE_TOKEN: TOKEN,
      MOODLE_SCALE_ID: '2',
      MOODLE_SCALE_MAPPING: SCALE_MAPPING,
      MOODLE_FRAMEWORK_IDNUMBER: 'esco-skills',
      ...env,
    },
    logger: pino({ level: 'silent' }),
    metrics: { lmsCall: (fn, result) => metricCalls.push([fn, result]) },
  });
}

async function runError(promise: Promise<unknown>): Promise<AdapterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AdapterError) return error;
    throw error;
  }
  throw new Error('expected the task to fail');
}

beforeEach(async () => {
  double = await startMoodleDouble({ moduleLinkFunction: 'local_skills_add_competency_to_module' });
  double.addToken(TOKEN);
  double.addCourse(5);
  double.addCourse(6);
  metricCalls = [];
});

afterEach(async () => {
  await double.stop();
});

describe('catalog push', () => {
  test('creates one framework and 200 competencies once', async () => {
    const state = new MemoryState(SKILLS);
    const adapter = createAdapter();

    await adapter.run({ kind: 'catalog' }, state.context());

    expect(double.state.frameworks.size).toBe(1);
    expect(double.state.competencies.size).toBe(200);
    expect(state.competencyIds.size).toBe(200);
    for (const skill of SKILLS) {
      const competency = double.competencyByIdnumber(skill.skill_id);
      expect(competency?.shortname).toBe(skill.name);
      expect(state.competencyIds.get(skill.skill_id)).toBe(String(competency?.id));
    }
    const framework = [...double.state.frameworks.values()][0];
    expect(framework?.idnumber).toBe('esco-skills');
    expect(JSON.parse(framework?.scaleconfiguration ?? '')).toEqual([
      { scaleid: '2' },
      { id: 1, scaledefault: 1, proficient: 0 },
      { id: 2, scaledefault: 0, proficient: 1 },
    ]);
  });

  test('second run makes no create calls', async () => {
    const state = new MemoryState(SKILLS);
    await createAdapter().run({ kind: 'catalog' }, state.context());
    const createsBefore = double.countCalls('core_competency_create_competency');

    // A new adapter instance is a restarted process: the framework id is looked up again.
    await createAdapter({ MOODLE_CHUNK_SIZE: '50' }).run({ kind: 'catalog' }, state.context());

    expect(createsBefore).toBe(200);
    expect(double.countCalls('core_competency_create_competency')).toBe(200);
    expect(double.countCalls('core_competency_create_competency_framework')).toBe(1);
    expect(double.countCalls('core_competency_update_competency')).toBe(0);
    expect(double.state.competencies.size).toBe(200);
  });

  test('lists the framework in bounded pages', async () => {
    const state = new MemoryState(SKILLS);
    await createAdapter().run({ kind: 'catalog' }, state.context());
    double.calls.length = 0;

    await createAdapter({ MOODLE_CHUNK_SIZE: '50' }).run({ kind: 'catalog' }, state.context());
    const pages = double.calls.filter((call) => call.wsfunction === 'core_competency_list_competencies');

    expect(pages).toHaveLength(5);
    expect(pages.map((call) => call.params.limit)).toEqual(['50', '50', '50', '50', '50']);
  });

  test('records competencies that exist without a mapping', async () => {
    const state = new MemoryState(SKILLS.slice(0, 10));
    await createAdapter().run({ kind: 'catalog' }, state.context());
    state.competencyIds.clear();

    await createAdapter().run({ kind: 'catalog' }, state.context());

    expect(state.competencyIds.size).toBe(10);
    expect(double.countCalls('core_competency_create_competency')).toBe(10);
  });

  test('counts every call in the metrics hook', async () => {
    const state = new MemoryState(SKILLS.slice(0, 2));
    await createAdapter().run({ kind: 'catalog' }, state.context());

    expect(metricCalls).toContainEqual(['core_competency_create_competency', 'ok']);
    expect(metricCalls.filter(([fn]) => fn === 'core_competency_create_competency')).toHaveLength(2);
  });

  test('reuses a framework that already exists', async () => {
    const state = new MemoryState(SKILLS.slice(0, 1));
    await createAdapter().run({ kind: 'catalog' }, state.context());

    await createAdapter().run({ kind: 'skill', skill_id: JAVA.skill_id }, new MemoryState(SKILLS.slice(0, 2)).context());

    expect(double.state.frameworks.size).toBe(1);
  });
});

describe('skill names', () => {
  test('name with &, accents and Greek round-trips', async () => {
    const name = 'R&D für Straßen — α/β testing <core> "Ελληνικά"';
    const skill: AdapterSkill = { ...PYTHON, name, description: 'Ünïcode & <b>markup</b> stays text' };
    const state = new MemoryState([skill]);
    const adapter = createAdapter();

    await adapter.run({ kind: 'skill', skill_id: skill.skill_id }, state.context());
    await adapter.run({ kind: 'skill', skill_id: skill.skill_id }, state.context());
    await adapter.run({ kind: 'catalog' }, state.context());

    const stored = double.competencyByIdnumber(skill.skill_id);
    expect(stored?.shortname).toBe(name);
    expect(stored?.description).toBe(skill.description);
    expect(double.countCalls('core_competency_update_competency')).toBe(0);
    expect(double.countCalls('core_competency_create_competency')).toBe(1);
  });

  test('rename is sent with update_competency', async () => {
    const state = new MemoryState([PYTHON]);
    const adapter = createAdapter();
    await adapter.run({ kind: 'skill', skill_id: PYTHON.skill_id }, state.context());

    state.skills.set(PYTHON.skill_id, { ...PYTHON, name: 'Python 3 (programming)', version: 2 });
    await adapter.run({ kind: 'skill', skill_id: PYTHON.skill_id }, state.context());

    expect(double.competencyByIdnumber(PYTHON.skill_id)?.shortname).toBe('Python 3 (programming)');
    expect(double.countCalls('core_competency_update_competency')).toBe(1);
    expect(double.state.competencies.size).toBe(1);
  });

  test('long name is cut to 100 characters', async () => {
    const skill: AdapterSkill = { ...PYTHON, name: 'ж'.repeat(140) };
    const state = new MemoryState([skill]);
    const adapter = createAdapter();

    await adapter.run({ kind: 'skill', skill_id: skill.skill_id }, state.context());
    await adapter.run({ kind: 'skill', skill_id: skill.skill_id }, state.context());

    expect(double.competencyByIdnumber(skill.skill_id)?.shortname).toBe('ж'.repeat(100));
    expect(double.countCalls('core_competency_update_competency')).toBe(0);
  });
});

describe('lost responses', () => {
  test('lost create response heals without duplicate', async () => {
    const state = new MemoryState([PYTHON]);
    const adapter = createAdapter();
    double.injectFault({ kind: 'lost-response', wsfunction: 'core_competency_create_competency' });

    await adapter.run({ kind: 'skill', skill_id: PYTHON.skill_id }, state.context());

    expect(double.state.competencies.size).toBe(1);
    expect(state.competencyIds.get(PYTHON.skill_id)).toBe(String(double.competencyByIdnumber(PYTHON.skill_id)?.id));
    // The healed create is logged as found, not also as created.
    const messages = state.logLines.map((line) => line.msg);
    expect(messages).toContain('Moodle already had the competency; recorded its id instead of creating another');
    expect(messages).not.toContain('created Moodle competency');
  });

  test('retry after a lost response finds the taken idnumber', async () => {
    const state = new MemoryState([PYTHON]);
    const adapter = createAdapter();
    await adapter.run({ kind: 'catalog' }, new MemoryState([]).context());
    double.injectFault({ kind: 'lost-response', wsfunction: 'core_competency_create_competency' });
    double.injectFault({ kind: 'http-error', status: 502, wsfunction: 'core_competency_list_competencies' });

    const first = await runError(adapter.run({ kind: 'skill', skill_id: PYTHON.skill_id }, state.context()));
    await adapter.run({ kind: 'skill', skill_id: PYTHON.skill_id }, state.context());

    expect(first.kind).toBe('retryable');
    expect(double.state.competencies.size).toBe(1);
    expect(state.competencyIds.get(PYTHON.skill_id)).toBe(String(double.competencyByIdnumber(PYTHON.skill_id)?.id));
  });

  test('lost mapping row is found by idnumber, not duplicated', async () => {
    const state = new MemoryState([PYTHON]);
    const adapter = createAdapter();
    state.courseByContent.set('doc-1', '5');
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());
    // Without the mapping row the next task must find the competency again instead of creating one.
    state.competencyIds.clear();

    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    expect(double.countCalls('core_competency_create_competency')).toBe(1);
    expect(double.state.competencies.size).toBe(1);
    expect(state.competencyIds.get(PYTHON.skill_id)).toBe(String(double.competencyByIdnumber(PYTHON.skill_id)?.id));
  });

  test('lost framework create heals', async () => {
    double.injectFault({ kind: 'lost-response', wsfunction: 'core_competency_create_competency_framework' });

    await createAdapter().run({ kind: 'skill', skill_id: PYTHON.skill_id }, new MemoryState([PYTHON]).context());

    expect(double.state.frameworks.size).toBe(1);
    expect(double.state.competencies.size).toBe(1);
  });

  test('5xx on add is retryable and the retry completes', async () => {
    const state = new MemoryState([PYTHON]);
    state.courseByContent.set('doc-1', '5');
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);
    const adapter = createAdapter();
    double.injectFault({ kind: 'http-error', status: 503, wsfunction: 'core_competency_add_competency_to_course' });

    const error = await runError(adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context()));
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    expect(error.kind).toBe('retryable');
    expect(double.courseCompetencyIdnumbers(5)).toEqual([PYTHON.skill_id]);
  });
});

describe('course sync', () => {
  function courseState(): MemoryState {
    const state = new MemoryState(SKILLS.slice(0, 10));
    state.courseByContent.set('doc-1', '5');
    state.courseByContent.set('doc-2', '5');
    state.courseByContent.set('doc-3', '6');
    return state;
  }

  test('tagging a mapped course adds course competencies', async () => {
    const state = courseState();
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }, { skill_id: JAVA.skill_id }, { skill_id: JAVASCRIPT.skill_id, derived_proficiency: null }]);

    await createAdapter().run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    expect(double.courseCompetencyIdnumbers(5)).toEqual([JAVA.skill_id, PYTHON.skill_id].sort());
    expect(double.courseCompetencyIdnumbers(6)).toEqual([]);
  });

  test('unmapped content makes no call', async () => {
    const state = courseState();
    state.tagContent('doc-9', 'en', [{ skill_id: PYTHON.skill_id }]);

    await createAdapter().run({ kind: 'content', content_id: 'doc-9', locale: 'en' }, state.context());

    expect(double.calls).toHaveLength(0);
  });

  test('course keeps a skill while any item or locale links it', async () => {
    const state = courseState();
    const adapter = createAdapter();
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);
    state.tagContent('doc-1', 'fr', [{ skill_id: PYTHON.skill_id }, { skill_id: JAVA.skill_id }]);
    state.tagContent('doc-2', '', [{ skill_id: JAVA.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'fr' }, state.context());

    state.tagContent('doc-1', 'fr', []);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'fr' }, state.context());
    const afterFrenchRemoval = double.courseCompetencyIdnumbers(5);
    state.tagContent('doc-2', '', []);
    await adapter.run({ kind: 'content', content_id: 'doc-2', locale: '' }, state.context());

    expect(afterFrenchRemoval).toEqual([JAVA.skill_id, PYTHON.skill_id].sort());
    expect(double.courseCompetencyIdnumbers(5)).toEqual([PYTHON.skill_id]);
    expect(double.countCalls('core_competency_remove_competency_from_course')).toBe(1);
  });

  test('deleted content removes its links', async () => {
    const state = courseState();
    const adapter = createAdapter();
    state.tagContent('doc-3', 'en', [{ skill_id: PYTHON.skill_id }, { skill_id: JAVA.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-3', locale: 'en' }, state.context());

    state.deleteContent('doc-3');
    await adapter.run({ kind: 'content', content_id: 'doc-3', locale: 'en' }, state.context());

    expect(double.courseCompetencyIdnumbers(6)).toEqual([]);
    expect(double.competencyByIdnumber(PYTHON.skill_id)).toBeDefined();
  });

  test('keep setting leaves deprecated links', async () => {
    const state = courseState();
    const adapter = createAdapter({ MOODLE_KEEP_COURSE_LINKS: 'true' });
    state.tagContent('doc-3', 'en', [{ skill_id: PYTHON.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-3', locale: 'en' }, state.context());

    state.deleteContent('doc-3');
    await adapter.run({ kind: 'content', content_id: 'doc-3', locale: 'en' }, state.context());

    expect(double.courseCompetencyIdnumbers(6)).toEqual([PYTHON.skill_id]);
    expect(double.countCalls('core_competency_remove_competency_from_course')).toBe(0);
  });

  test('deprecated skill links move to its successor', async () => {
    const state = courseState();
    const adapter = createAdapter();
    state.tagContent('doc-1', 'en', [{ skill_id: JAVASCRIPT.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    state.skills.set(JAVASCRIPT.skill_id, { ...JAVASCRIPT, status: 'deprecated', superseded_by: TYPESCRIPT.skill_id, version: 2 });
    await adapter.run({ kind: 'skill', skill_id: JAVASCRIPT.skill_id }, state.context());
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    expect(double.courseCompetencyIdnumbers(5)).toEqual([TYPESCRIPT.skill_id]);
    expect(double.competencyByIdnumber(JAVASCRIPT.skill_id)).toBeDefined();
  });

  test('deprecated skill without successor stays linked', async () => {
    const state = courseState();
    const adapter = createAdapter();
    state.tagContent('doc-1', 'en', [{ skill_id: JAVA.skill_id }]);
    state.skills.set(JAVA.skill_id, { ...JAVA, status: 'deprecated', version: 2 });

    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    expect(double.courseCompetencyIdnumbers(5)).toEqual([JAVA.skill_id]);
  });

  test('skill tagged during a removal stays linked', async () => {
    const state = courseState();
    const adapter = createAdapter();
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());
    state.tagContent('doc-1', 'en', []);
    const context = state.context();
    const listCourseLinks = context.listCourseLinks;
    let reads = 0;
    // The other item's tag commits right after this task read the course's links.
    context.listCourseLinks = async (courseId) => {
      const links = await listCourseLinks(courseId);
      reads += 1;
      if (reads === 1) state.tagContent('doc-2', 'en', [{ skill_id: PYTHON.skill_id }]);
      return links;
    };

    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, context);

    expect(double.countCalls('core_competency_remove_competency_from_course')).toBe(1);
    expect(double.courseCompetencyIdnumbers(5)).toEqual([PYTHON.skill_id]);
  });

  test('competencies of other frameworks are left alone', async () => {
    const state = courseState();
    const adapter = createAdapter();
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());
    const otherFramework = 99;
    double.state.frameworks.set(otherFramework, { ...[...double.state.frameworks.values()][0]!, id: otherFramework, idnumber: 'other' });
    double.state.competencies.set(500, { ...double.competencyByIdnumber(PYTHON.skill_id)!, id: 500, idnumber: 'site-own', competencyframeworkid: otherFramework });
    double.state.courseCompetencies.set(500, { id: 500, courseid: 5, competencyid: 500, sortorder: 9, ruleoutcome: 1, timecreated: 0, timemodified: 0, usermodified: 2 });

    state.tagContent('doc-1', 'en', []);
    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context());

    expect(double.courseCompetencyIdnumbers(5)).toEqual(['site-own']);
  });

  test('non-numeric course mapping fails permanently', async () => {
    const state = courseState();
    state.courseByContent.set('doc-1', 'course-five');
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);

    const error = await runError(createAdapter().run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context()));

    expect(error.kind).toBe('permanent');
    expect(error.code).toBe('MOODLE_COURSE_ID_INVALID');
    expect(error.message).toContain('"course-five"');
  });

  test('unknown course fails permanently', async () => {
    const state = courseState();
    state.courseByContent.set('doc-1', '404');
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);

    const error = await runError(createAdapter().run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context()));

    expect(error.kind).toBe('permanent');
    expect(error.code).toBe('MOODLE_RECORD_NOT_FOUND');
  });

  test('activity mapping calls the site function', async () => {
    const state = courseState();
    double.addCourseModule(12, 5);
    state.courseByContent.set('doc-1', '5:12');
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);

    await createAdapter({ MOODLE_MODULE_LINK_FUNCTION: 'local_skills_add_competency_to_module' }).run(
      { kind: 'content', content_id: 'doc-1', locale: 'en' },
      state.context(),
    );

    const competencyId = double.competencyByIdnumber(PYTHON.skill_id)?.id;
    expect(double.courseCompetencyIdnumbers(5)).toEqual([PYTHON.skill_id]);
    expect([...double.state.moduleLinks]).toEqual([`12:${competencyId}`]);
  });
});

describe('pausing', () => {
  test('revoked token pauses and resumes losing nothing', async () => {
    const state = new MemoryState(SKILLS.slice(0, 10));
    state.courseByContent.set('doc-1', '5');
    state.courseByContent.set('doc-2', '6');
    const adapter = createAdapter();
    await adapter.run({ kind: 'catalog' }, state.context());
    double.revokeToken(TOKEN);
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);
    state.tagContent('doc-2', 'en', [{ skill_id: JAVA.skill_id }]);
    const pending = [
      { kind: 'content', content_id: 'doc-1', locale: 'en' },
      { kind: 'content', content_id: 'doc-2', locale: 'en' },
    ] as const;

    const paused = await runError(adapter.run(pending[0], state.context()));
    const probeWhileRevoked = await runError(adapter.probe!(state.context()));
    double.restoreToken(TOKEN);
    await adapter.probe!(state.context());
    for (const task of pending) await adapter.run(task, state.context());

    expect(paused.kind).toBe('paused');
    expect(paused.code).toBe('MOODLE_TOKEN_INVALID');
    expect(paused.message).not.toContain('\n');
    expect(paused.message).not.toContain(TOKEN);
    expect(paused.message).toContain('MOODLE_TOKEN');
    expect(probeWhileRevoked.code).toBe('MOODLE_TOKEN_INVALID');
    expect(double.courseCompetencyIdnumbers(5)).toEqual([PYTHON.skill_id]);
    expect(double.courseCompetencyIdnumbers(6)).toEqual([JAVA.skill_id]);
  });

  test('missing capability pauses', async () => {
    double.addToken(TOKEN, { capabilities: ['competencyview', 'competencymanage'] });
    const state = new MemoryState([PYTHON]);
    state.courseByContent.set('doc-1', '5');
    state.tagContent('doc-1', 'en', [{ skill_id: PYTHON.skill_id }]);

    const error = await runError(createAdapter().run({ kind: 'content', content_id: 'doc-1', locale: 'en' }, state.context()));

    expect(error.kind).toBe('paused');
    expect(error.code).toBe('MOODLE_CAPABILITY_MISSING');
    expect(error.message).toContain('nopermissions');
  });

  test('probe names functions missing from the service', async () => {
    double.addToken(TOKEN, { functions: ['core_webservice_get_site_info', 'core_competency_list_competency_frameworks'] });

    const error = await runError(createAdapter().probe!(new MemoryState().context()));

    expect(error.kind).toBe('paused');
    expect(error.code).toBe('MOODLE_FUNCTION_MISSING');
    expect(error.message).toContain('core_competency_add_competency_to_course');
  });

  test('probe passes with a complete service', async () => {
    await expect(createAdapter().probe!(new MemoryState().context())).resolves.toBeUndefined();
  });

  test('scale mapping outside the scale pauses before creating', async () => {
    const adapter = createAdapter({ MOODLE_SCALE_MAPPING: 'beginner:1,expert:3,default:1,proficient:3' });

    const error = await runError(adapter.run({ kind: 'catalog' }, new MemoryState([PYTHON]).context()));

    expect(error.kind).toBe('paused');
    expect(error.code).toBe('MOODLE_SCALE_MAPPING_INVALID');
    expect(double.state.frameworks.size).toBe(0);
    await expect(adapter.probe!(new MemoryState().context())).rejects.toMatchObject({ code: 'MOODLE_SCALE_MAPPING_INVALID' });
  });

  test('unknown scale pauses', async () => {
    const error = await runError(createAdapter({ MOODLE_SCALE_ID: '77' }).run({ kind: 'catalog' }, new MemoryState([PYTHON]).context()));

    expect(error.kind).toBe('paused');
    expect(error.code).toBe('MOODLE_SCALE_NOT_FOUND');
  });
});
