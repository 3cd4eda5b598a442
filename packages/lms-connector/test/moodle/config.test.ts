import pino from 'pino';
import { createMoodleAdapter } from '../../src/adapters/moodle';
import { loadMoodleConfig, parseScaleMapping } from '../../src/adapters/moodle/config';
import { buildScaleConfiguration } from '../../src/adapters/moodle/scale';
import { ConfigError, loadConfig } from '../../src/config';
import { type MoodleDouble, startMoodleDouble } from './double/server';

const VALID = {
  MOODLE_URL: 'https://moodle.example.org',
  MOODLE_TOKEN: 'abcdef0123456789',
  MOODLE_SCALE_ID: '2',
  MOODLE_SCALE_MAPPING: 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2',
};

function configLines(env: Record<string, string>): string[] {
  try {
    loadMoodleConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.lines;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('scale mapping', () => {
  test('parses bands, default and proficient items', () => {
    const { mapping, problems } = parseScaleMapping('beginner:1, intermediate:2,advanced:3,expert:4,default:1,proficient:3|4');

    expect(problems).toEqual([]);
    expect(mapping).toEqual({ bands: { beginner: 1, intermediate: 2, advanced: 3, expert: 4 }, defaultItem: 1, proficientItems: [3, 4] });
  });

  test.each([
    ['no default', 'beginner:1,proficient:2', /exactly one default item.*found 0/],
    ['two defaults', 'beginner:1,default:1,default:2,proficient:2', /exactly one default item.*found 2/],
    ['no proficient item', 'beginner:1,default:1', /at least one proficient item/],
    ['unknown band', 'novice:1,default:1,proficient:2', /names "novice"/],
    ['item zero', 'beginner:0,default:1,proficient:2', /"beginner:0" is not name:item/],
    ['no band', 'default:1,proficient:2', /maps no proficiency band/],
  ])('rejects %s', (_case, text, expected) => {
    const { mapping, problems } = parseScaleMapping(text);

    expect(mapping).toBeUndefined();
    expect(problems.join('\n')).toMatch(expected);
  });

  test('builds the scale configuration for every item', () => {
    const { mapping } = parseScaleMapping('beginner:1,intermediate:2,advanced:3,expert:4,default:1,proficient:3|4');
    const values = ['Beginner', 'Intermediate', 'Advanced', 'Expert'].map((name, index) => ({ id: index + 1, name }));

    expect(JSON.parse(buildScaleConfiguration(3, mapping!, values))).toEqual([
      { scaleid: '3' },
      { id: 1, scaledefault: 1, proficient: 0 },
      { id: 2, scaledefault: 0, proficient: 0 },
      { id: 3, scaledefault: 0, proficient: 1 },
      { id: 4, scaledefault: 0, proficient: 1 },
    ]);
  });
});

describe('loadMoodleConfig', () => {
  test('applies defaults', () => {
    const config = loadMoodleConfig(VALID);

    expect(config).toMatchObject({
      url: 'https://moodle.example.org',
      frameworkIdnumber: 'skill-mapping',
      scaleId: 2,
      keepCourseLinks: false,
      chunkSize: 100,
      timeoutMs: 30000,
    });
    expect(config.moduleLinkFunction).toBeUndefined();
  });

  test('reads the optional settings', () => {
    const config = loadMoodleConfig({
      ...VALID,
      MOODLE_KEEP_COURSE_LINKS: 'true',
      MOODLE_MODULE_LINK_FUNCTION: 'local_skills_add_competency_to_module',
      MOODLE_CHUNK_SIZE: '250',
      MOODLE_FRAMEWORK_IDNUMBER: 'esco',
    });

    expect(config).toMatchObject({ keepCourseLinks: true, moduleLinkFunction: 'local_skills_add_competency_to_module', chunkSize: 250, frameworkIdnumber: 'esco' });
  });

  test('lists every bad value at once', () => {
    const lines = configLines({ MOODLE_URL: 'ftp://moodle', MOODLE_SCALE_ID: 'two', MOODLE_SCALE_MAPPING: 'beginner:1', MOODLE_CHUNK_SIZE: '0' });

    expect(lines.find((line) => line.startsWith('MOODLE_URL='))).toBeDefined();
    expect(lines.find((line) => line.startsWith('MOODLE_TOKEN: missing;'))).toBeDefined();
    expect(lines.find((line) => line.startsWith('MOODLE_SCALE_ID="two"'))).toBeDefined();
    expect(lines.find((line) => line.startsWith('MOODLE_CHUNK_SIZE="0"'))).toBeDefined();
    expect(lines.filter((line) => line.startsWith('MOODLE_SCALE_MAPPING='))).toHaveLength(2);
  });

  test('never echoes the token', () => {
    const lines = configLines({ ...VALID, MOODLE_TOKEN: 'has spaces secret' });

    expect(lines).toEqual(['MOODLE_TOKEN=(value hidden): a Moodle token is letters and digits; copy it again from Manage tokens']);
  });
});

describe('createMoodleAdapter', () => {
  let double: MoodleDouble;

  beforeEach(async () => {
    double = await startMoodleDouble();
    double.addToken('t0ken');
  });

  afterEach(async () => {
    await double.stop();
  });

  test('rejects a bad scale mapping before any call', () => {
    const create = () =>
      createMoodleAdapter({
        config: loadConfig({}),
        env: { ...VALID, MOODLE_URL: double.url, MOODLE_TOKEN: 't0ken', MOODLE_SCALE_MAPPING: 'beginner:1,default:1,default:2' },
        logger: pino({ level: 'silent' }),
        metrics: { lmsCall: () => undefined },
      });

    expect(create).toThrow(ConfigError);
    expect(double.calls).toHaveLength(0);
  });
});
