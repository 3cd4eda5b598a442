import { z } from 'zod';
import { ConfigError } from '../../config';

// Same levels as the shared model's proficiency; kept here until shared-schema exports its list.
const BANDS = ['beginner', 'intermediate', 'advanced', 'expert'] as const;
type Band = (typeof BANDS)[number];

/** Placement of the connector's proficiency bands on the Moodle scale named by MOODLE_SCALE_ID. */
export interface ScaleMapping {
  /** Band -> 1-based scale item. Only used to describe the framework; course links carry no proficiency. */
  bands: Partial<Record<Band, number>>;
  /** The one item Moodle gives by default when rating. */
  defaultItem: number;
  /** Items that count as proficient; at least one. */
  proficientItems: number[];
}

export const SCALE_MAPPING_EXAMPLE = 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2';

/**
 * Parses `band:item` pairs plus `default:<item>` (exactly once) and `proficient:<item>[|<item>...]` (at
 * least one item, may repeat). Returns the problems instead of throwing so every one is reported at once.
 */
export function parseScaleMapping(text: string): { mapping?: ScaleMapping; problems: string[] } {
  const problems: string[] = [];
  const bands: Partial<Record<Band, number>> = {};
  const defaults: number[] = [];
  const proficient = new Set<number>();

  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [name, value, ...rest] = entry.split(':').map((part) => part.trim());
    const items = (value ?? '').split('|').map((item) => Number(item));
    if (!name || !value || rest.length > 0 || items.some((item) => !Number.isInteger(item) || item < 1)) {
      problems.push(`entry "${entry}" is not name:item with a scale item number from 1; write for example "${SCALE_MAPPING_EXAMPLE}"`);
      continue;
    }

    if (name === 'default') defaults.push(...items);
    else if (name === 'proficient') items.forEach((item) => proficient.add(item));
    else if ((BANDS as readonly string[]).includes(name) && items.length === 1) bands[name as Band] = items[0];
    else problems.push(`entry "${entry}" names "${name}"; use one of ${BANDS.join(', ')}, default or proficient (one item per band)`);
  }

  if (defaults.length !== 1) {
    problems.push(`needs exactly one default item (default:<item>), found ${defaults.length}; Moodle rates with that item by default`);
  }
  if (proficient.size === 0) {
    problems.push('needs at least one proficient item (proficient:<item>); Moodle rejects a scale configuration without one');
  }
  if (Object.keys(bands).length === 0) {
    problems.push(`maps no proficiency band; add at least one of ${BANDS.join(', ')}`);
  }

  if (problems.length > 0) return { problems };
  return {
    mapping: { bands, defaultItem: defaults[0] as number, proficientItems: [...proficient].sort((a, b) => a - b) },
    problems,
  };
}

const positiveInteger = (max = Number.MAX_SAFE_INTEGER) => {
  const error = `must be an integer from 1 to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(1, { error }).max(max, { error });
};

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'use true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const MoodleEnvSchema = z.object({
  MOODLE_URL: z.url({ protocol: /^https?$/, message: 'use the site root, e.g. https://moodle.example.org' }),
  MOODLE_TOKEN: z
    .string({ message: 'set the web service token of the connector user' })
    .regex(/^[A-Za-z0-9]+$/, { message: 'a Moodle token is letters and digits; copy it again from Manage tokens' }),
  MOODLE_FRAMEWORK_IDNUMBER: z.string().trim().min(1).max(100).default('skill-mapping'),
  MOODLE_FRAMEWORK_SHORTNAME: z.string().trim().min(1).max(100).default('Skill catalog'),
  MOODLE_SCALE_ID: positiveInteger(),
  MOODLE_SCALE_MAPPING: z.string({ message: `set it, for example "${SCALE_MAPPING_EXAMPLE}"` }),
  MOODLE_KEEP_COURSE_LINKS: booleanFlag.default(false),
  MOODLE_MODULE_LINK_FUNCTION: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, { message: 'use the web service function name, e.g. local_myplugin_add_competency_to_module' })
    .optional(),
  MOODLE_CHUNK_SIZE: positiveInteger(1000).default(100),
  MOODLE_TIMEOUT_MS: positiveInteger().default(30_000),
});

export interface MoodleConfig {
  url: string;
  token: string;
  frameworkIdnumber: string;
  frameworkShortname: string;
  scaleId: number;
  scaleMapping: ScaleMapping;
  keepCourseLinks: boolean;
  moduleLinkFunction?: string;
  /** Records per list call, and skills per batch of a catalog push. */
  chunkSize: number;
  timeoutMs: number;
}

const SECRET_KEYS = new Set(['MOODLE_TOKEN']);

// Hints for required settings that are absent, shown in place of the schema's text about `undefined`.
const MISSING_HINTS: Record<string, string> = {
  MOODLE_URL: 'set the Moodle site root, e.g. https://moodle.example.org',
  MOODLE_TOKEN: 'set the web service token of the connector user (Site administration > Server > Web services > Manage tokens)',
  MOODLE_SCALE_ID: 'set the id of an existing scale (Site administration > Grades > Scales), e.g. 2',
  MOODLE_SCALE_MAPPING: `set it, for example "${SCALE_MAPPING_EXAMPLE}"`,
};

/**
 * Reads and validates the adapter's settings before any call to Moodle. Throws ConfigError with one line
 * per bad value; the token is never echoed.
 */
export function loadMoodleConfig(env: NodeJS.ProcessEnv): MoodleConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(MoodleEnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }

  const lines: string[] = [];
  const parsed = MoodleEnvSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      if (raw[key] === undefined) {
        lines.push(`${key}: missing; ${MISSING_HINTS[key] ?? 'set it'}`);
        continue;
      }
      const shown = SECRET_KEYS.has(key) ? '(value hidden)' : JSON.stringify(raw[key]);
      lines.push(`${key}=${shown}: ${issue.message}`);
    }
  }

  const scale = raw.MOODLE_SCALE_MAPPING === undefined ? undefined : parseScaleMapping(raw.MOODLE_SCALE_MAPPING);
  for (const problem of scale?.problems ?? []) {
    lines.push(`MOODLE_SCALE_MAPPING=${JSON.stringify(raw.MOODLE_SCALE_MAPPING)}: ${problem}`);
  }

  if (lines.length > 0 || !parsed.success || !scale?.mapping) throw new ConfigError(lines);

  const values = parsed.data;
  return {
    url: values.MOODLE_URL,
    token: values.MOODLE_TOKEN,
    frameworkIdnumber: values.MOODLE_FRAMEWORK_IDNUMBER,
    frameworkShortname: values.MOODLE_FRAMEWORK_SHORTNAME,
    scaleId: values.MOODLE_SCALE_ID,
    scaleMapping: scale.mapping,
    keepCourseLinks: values.MOODLE_KEEP_COURSE_LINKS,
    moduleLinkFunction: values.MOODLE_MODULE_LINK_FUNCTION,
    chunkSize: values.MOODLE_CHUNK_SIZE,
    timeoutMs: values.MOODLE_TIMEOUT_MS,
  };
}

/** Lists the problems of the `MOODLE_*` settings, one line each; empty when they are valid. */
export function moodleConfigProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadMoodleConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.lines;
    throw error;
  }
}
