import { ContentSkills, Skill, SkillTag } from '@skill-mapping/shared-schema';
import pino from 'pino';
import { createMoodleAdapter } from '../../src/adapters/moodle';
import { CONTENT_TO_COURSE, SKILL_TO_COMPETENCY, TAG_TO_COURSE_COMPETENCY } from '../../src/adapters/moodle/field-map';
import type { AdapterSkill } from '../../src/adapters/types';
import { loadConfig } from '../../src/config';
import { type MoodleDouble, startMoodleDouble } from './double/server';
import { MemoryState } from './memory-context';

let double: MoodleDouble;

beforeEach(async () => {
  double = await startMoodleDouble();
  double.addToken('m4pping');
  double.addCourse(5);
});

afterEach(async () => {
  await double.stop();
});

describe('canonical to Moodle field map', () => {
  test.each([
    ['Skill', Object.keys(Skill.shape), SKILL_TO_COMPETENCY],
    ['SkillTag', Object.keys(SkillTag.shape), TAG_TO_COURSE_COMPETENCY],
    ['ContentSkills', Object.keys(ContentSkills.shape), CONTENT_TO_COURSE],
  ])('%s lists every canonical field', (_name, fields, table) => {
    expect(Object.keys(table).sort()).toEqual([...fields].sort());
  });

  test('mapped skill fields arrive intact', async () => {
    const skill: AdapterSkill = {
      skill_id: '3f0c8f0e-2b7a-4d53-9c39-4b8f6a8d2e11',
      name: 'Data & analytics — Ελληνικά',
      description: 'Plain text with <tags> & entities',
      status: 'active',
      superseded_by: null,
      version: 3,
    };
    const state = new MemoryState([skill]);
    state.courseByContent.set('doc-1', '5');
    state.tagContent('doc-1', 'de', [{ skill_id: skill.skill_id, derived_proficiency: 'expert' }]);
    const adapter = createMoodleAdapter({
      config: loadConfig({}),
      env: { MOODLE_URL: double.url, MOODLE_TOKEN: 'm4pping', MOODLE_SCALE_ID: '2', MOODLE_SCALE_MAPPING: 'beginner:1,expert:2,default:1,proficient:2' },
      logger: pino({ level: 'silent' }),
      metrics: { lmsCall: () => undefined },
    });

    await adapter.run({ kind: 'content', content_id: 'doc-1', locale: 'de' }, state.context());

    const competency = double.competencyByIdnumber(skill.skill_id);
    const mapped = Object.entries(SKILL_TO_COMPETENCY).filter(([, rule]) => rule.moodle !== null);
    expect(mapped.map(([field]) => field).sort()).toEqual(['description', 'name', 'skill_id']);
    expect(competency?.idnumber).toBe(skill.skill_id);
    expect(competency?.shortname).toBe(skill.name);
    expect(competency?.description).toBe(skill.description);
    expect(competency?.descriptionformat).toBe(2);
    expect(double.courseCompetencyIdnumbers(5)).toEqual([skill.skill_id]);
    expect(state.competencyIds.get(skill.skill_id)).toBe(String(competency?.id));
  });
});
