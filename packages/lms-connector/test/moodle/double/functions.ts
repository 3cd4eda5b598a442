import {
  codingException,
  competenciesDisabled,
  dmlWrite,
  invalidParameter,
  invalidPersistent,
  missingRecord,
  MoodleError,
  noPermission,
  requireLogin,
} from './exceptions';
import { bool, int, multiple, type ParamSpec, raw, single, text } from './params';
import type { CompetencyRecord, CourseRecord, FrameworkRecord, SiteState, TokenRecord } from './state';

export interface CallContext {
  state: SiteState;
  token: TokenRecord;
  siteUrl: string;
}

export interface FunctionDefinition {
  params: Record<string, ParamSpec>;
  run(params: Record<string, unknown>, call: CallContext): unknown;
}

const CAPABILITY_LABELS: Record<string, string> = {
  competencymanage: 'Manage competency frameworks',
  competencyview: 'View competency frameworks',
  coursecompetencymanage: 'Manage course competencies',
  coursecompetencyview: 'View course competencies',
};

/** Moodle's order inside a competency function: enabled check first, then the capability. */
function guard(call: CallContext, capability: string): void {
  if (!call.state.competenciesEnabled) throw competenciesDisabled();
  if (!call.token.capabilities.has(capability)) {
    throw noPermission(`moodle/competency:${capability}`, CAPABILITY_LABELS[capability] ?? capability);
  }
}

/** format_string-like output: `&` not starting an entity, `<`, `>` and `"` come back as entities. */
export function formatString(value: string): string {
  return value
    .replace(/&(?![a-zA-Z0-9#]{1,8};)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function exportCompetency(record: CompetencyRecord) {
  return { ...record, shortname: formatString(record.shortname) };
}

function exportFramework(record: FrameworkRecord) {
  return { ...record, shortname: formatString(record.shortname) };
}

const NAME_MAX_CHARS = 100;
const TAXONOMIES = ['behaviour', 'competency', 'concept', 'domain', 'indicator', 'level', 'outcome', 'practice', 'proficiency', 'skill', 'value'];

function checkColumnLength(field: string, value: string): void {
  if (Array.from(value).length > NAME_MAX_CHARS) {
    throw dmlWrite(`Data too long for column '${field}' (max ${NAME_MAX_CHARS} characters)`);
  }
}

/** Rules of competency_framework::validate_scaleconfiguration. */
function scaleConfigurationProblem(state: SiteState, scaleid: number, configuration: string): string | null {
  const scale = state.scales.get(scaleid);
  if (!scale) return 'Invalid data';
  const problem = 'The scale must be configured by selecting default and proficient items (errorscaleconfiguration)';

  let entries: unknown;
  try {
    entries = JSON.parse(configuration);
  } catch {
    return problem;
  }
  if (!Array.isArray(entries) || entries.length < 2) return problem;
  const [head, ...items] = entries as Array<Record<string, unknown>>;
  if (!head || String(head.scaleid) !== String(scaleid)) return problem;

  let hasDefault = false;
  let hasProficient = false;
  for (const item of items) {
    const id = Number(item.id);
    if (!Number.isInteger(id) || id < 1 || id > scale.length) return problem;
    if (Number(item.scaledefault) === 1) hasDefault = true;
    if (Number(item.proficient) === 1) hasProficient = true;
  }
  return hasDefault && hasProficient ? null : problem;
}

function findCourse(state: SiteState, courseid: number): CourseRecord {
  const course = state.courses.get(courseid);
  if (!course) throw missingRecord('course');
  if (!course.visible) throw requireLogin();
  return course;
}

function findCompetency(state: SiteState, id: number): CompetencyRecord {
  const competency = state.competencies.get(id);
  if (!competency) throw missingRecord('competency');
  return competency;
}

const FILTER_COLUMNS = ['id', 'shortname', 'description', 'sortorder', 'idnumber', 'parentid', 'competencyframeworkid'];

function filterCompetencies(state: SiteState, filters: Array<{ column: string; value: string }>): CompetencyRecord[] {
  for (const filter of filters) {
    if (!FILTER_COLUMNS.includes(filter.column)) throw invalidParameter('Filter column was invalid');
  }
  return [...state.competencies.values()].filter((record) =>
    filters.every((filter) => String(record[filter.column as keyof CompetencyRecord]) === filter.value),
  );
}

function page<T>(records: T[], skip: number, limit: number): T[] {
  return limit > 0 ? records.slice(skip, skip + limit) : records.slice(skip);
}

const competencyFields = {
  shortname: text({}),
  idnumber: raw({}),
  description: raw({}),
  descriptionformat: int({}),
  sortorder: int({}),
  parentid: int({}),
  path: raw({}),
  ruleoutcome: int({}),
  ruletype: raw({}),
  ruleconfig: raw({}),
  scaleid: int({}),
  scaleconfiguration: raw({}),
  competencyframeworkid: int({}),
};

const filtersSpec = multiple(single({ column: raw(), value: raw() }));

function createCompetency(params: Record<string, unknown>, call: CallContext) {
  const { state } = call;
  const input = params.competency as Record<string, unknown>;
  for (const key of ['shortname', 'idnumber', 'competencyframeworkid']) {
    if (input[key] === undefined) throw invalidParameter(`competency => Invalid parameter value detected: Missing required key in single structure: ${key}`);
  }
  const frameworkId = Number(input.competencyframeworkid);
  const framework = state.frameworks.get(frameworkId);
  guard(call, 'competencymanage');

  const shortname = String(input.shortname);
  const idnumber = String(input.idnumber);
  const errors: Record<string, string> = {};
  if (!framework) errors.competencyframeworkid = 'Invalid data';
  if (shortname.trim() === '') errors.shortname = 'Required';
  if (idnumber.trim() === '') errors.idnumber = 'Required';
  const taken = [...state.competencies.values()].some((c) => c.competencyframeworkid === frameworkId && c.idnumber === idnumber);
  if (taken) errors.idnumber = 'This ID number is already in use';
  const parentid = Number(input.parentid ?? 0);
  const parent = parentid === 0 ? undefined : state.competencies.get(parentid);
  if (parentid !== 0 && (!parent || parent.competencyframeworkid !== frameworkId)) errors.parentid = 'Invalid data';
  if (Object.keys(errors).length > 0) throw invalidPersistent(errors);
  checkColumnLength('shortname', shortname);
  checkColumnLength('idnumber', idnumber);

  const now = state.now();
  const record: CompetencyRecord = {
    id: state.nextId('competency'),
    shortname,
    idnumber,
    description: String(input.description ?? ''),
    descriptionformat: Number(input.descriptionformat ?? 1),
    sortorder: [...state.competencies.values()].filter((c) => c.competencyframeworkid === frameworkId && c.parentid === parentid).length,
    parentid,
    path: parent ? `${parent.path}${parent.id}/` : '/0/',
    ruleoutcome: Number(input.ruleoutcome ?? 0),
    ruletype: (input.ruletype as string | undefined) ?? null,
    ruleconfig: (input.ruleconfig as string | undefined) ?? null,
    scaleid: input.scaleid === undefined ? null : Number(input.scaleid),
    scaleconfiguration: (input.scaleconfiguration as string | undefined) ?? null,
    competencyframeworkid: frameworkId,
    timecreated: now,
    timemodified: now,
    usermodified: call.token.userid,
  };
  state.competencies.set(record.id, record);
  return exportCompetency(record);
}

function updateCompetency(params: Record<string, unknown>, call: CallContext) {
  const { state } = call;
  const input = params.competency as Record<string, unknown>;
  if (input.id === undefined) throw invalidParameter('competency => Invalid parameter value detected: Missing required key in single structure: id');
  const record = findCompetency(state, Number(input.id));
  guard(call, 'competencymanage');

  const next = { ...record };
  // Moodle ignores changes of these through update_competency.
  for (const key of ['shortname', 'idnumber', 'description', 'descriptionformat', 'ruleoutcome', 'ruletype', 'ruleconfig', 'scaleid', 'scaleconfiguration'] as const) {
    if (input[key] !== undefined) (next as Record<string, unknown>)[key] = input[key];
  }
  const taken = [...state.competencies.values()].some(
    (c) => c.id !== record.id && c.competencyframeworkid === record.competencyframeworkid && c.idnumber === next.idnumber,
  );
  if (taken) throw invalidPersistent({ idnumber: 'This ID number is already in use' });
  checkColumnLength('shortname', next.shortname);
  checkColumnLength('idnumber', next.idnumber);

  next.timemodified = state.now();
  state.competencies.set(record.id, next);
  return true;
}

function createFramework(params: Record<string, unknown>, call: CallContext) {
  const { state } = call;
  const input = params.competencyframework as Record<string, unknown>;
  for (const key of ['shortname', 'idnumber', 'scaleid', 'scaleconfiguration']) {
    if (input[key] === undefined) {
      throw invalidParameter(`competencyframework => Invalid parameter value detected: Missing required key in single structure: ${key}`);
    }
  }
  if (input.contextid === undefined && input.contextlevel === undefined) throw invalidParameter('Missing parameter: contextid or contextlevel');
  if (input.contextlevel !== undefined && !['system', 'coursecat'].includes(String(input.contextlevel))) {
    throw invalidParameter(`Invalid context level: ${String(input.contextlevel)}`);
  }
  guard(call, 'competencymanage');

  const idnumber = String(input.idnumber);
  const scaleid = Number(input.scaleid);
  const errors: Record<string, string> = {};
  if ([...state.frameworks.values()].some((f) => f.idnumber === idnumber)) errors.idnumber = 'This ID number is already in use';
  const scaleProblem = scaleConfigurationProblem(state, scaleid, String(input.scaleconfiguration));
  if (!state.scales.has(scaleid)) errors.scaleid = 'Invalid data';
  else if (scaleProblem) errors.scaleconfiguration = scaleProblem;
  const taxonomies = String(input.taxonomies ?? '');
  if (taxonomies !== '' && taxonomies.split(',').some((level) => !TAXONOMIES.includes(level))) errors.taxonomies = 'Invalid data';
  if (Object.keys(errors).length > 0) throw invalidPersistent(errors);
  checkColumnLength('shortname', String(input.shortname));
  checkColumnLength('idnumber', idnumber);

  const now = state.now();
  const record: FrameworkRecord = {
    id: state.nextId('competency_framework'),
    shortname: String(input.shortname),
    idnumber,
    description: String(input.description ?? ''),
    descriptionformat: Number(input.descriptionformat ?? 1),
    visible: input.visible === undefined ? true : ['1', 'true'].includes(String(input.visible)),
    scaleid,
    scaleconfiguration: String(input.scaleconfiguration),
    contextid: 1,
    taxonomies,
    timecreated: now,
    timemodified: now,
    usermodified: call.token.userid,
  };
  state.frameworks.set(record.id, record);
  return exportFramework(record);
}

function addCompetencyToCourse(params: Record<string, unknown>, call: CallContext) {
  const { state } = call;
  const courseid = Number(params.courseid);
  findCourse(state, courseid);
  guard(call, 'coursecompetencymanage');
  const competency = findCompetency(state, Number(params.competencyid));
  const framework = state.frameworks.get(competency.competencyframeworkid);
  if (!framework?.visible) throw codingException('A competency can not be added to a course if its framework is hidden');

  const links = [...state.courseCompetencies.values()].filter((link) => link.courseid === courseid);
  if (links.some((link) => link.competencyid === competency.id)) return false;
  const now = state.now();
  const id = state.nextId('competency_coursecomp');
  state.courseCompetencies.set(id, {
    id,
    courseid,
    competencyid: competency.id,
    sortorder: links.length,
    ruleoutcome: 1,
    timecreated: now,
    timemodified: now,
    usermodified: call.token.userid,
  });
  return true;
}

function removeCompetencyFromCourse(params: Record<string, unknown>, call: CallContext) {
  const { state } = call;
  const courseid = Number(params.courseid);
  findCourse(state, courseid);
  guard(call, 'coursecompetencymanage');
  const competencyid = Number(params.competencyid);
  findCompetency(state, competencyid);

  const link = [...state.courseCompetencies.values()].find((entry) => entry.courseid === courseid && entry.competencyid === competencyid);
  if (!link) return false;
  state.courseCompetencies.delete(link.id);
  // Removing a course competency also removes it from every activity of that course.
  for (const [cmid, cmCourse] of state.courseModules) {
    if (cmCourse === courseid) state.moduleLinks.delete(`${cmid}:${competencyid}`);
  }
  return true;
}

function listCourseCompetencies(params: Record<string, unknown>, call: CallContext) {
  const { state } = call;
  const courseid = Number(params.id);
  findCourse(state, courseid);
  guard(call, 'coursecompetencyview');
  return [...state.courseCompetencies.values()]
    .filter((link) => link.courseid === courseid)
    .sort((a, b) => a.sortorder - b.sortorder)
    .map((link) => ({ competency: exportCompetency(findCompetency(state, link.competencyid)), coursecompetency: link }));
}

/** The functions the double serves, by `wsfunction` name. */
export const FUNCTIONS: Record<string, FunctionDefinition> = {
  core_webservice_get_site_info: {
    params: { serviceshortnames: multiple(raw(), { default: [] }) },
    run: (_params, call) => ({
      sitename: 'Moodle test double',
      username: 'skill-connector',
      firstname: 'Skill',
      lastname: 'Connector',
      fullname: 'Skill Connector',
      lang: 'en',
      userid: call.token.userid,
      siteurl: call.siteUrl,
      userpictureurl: `${call.siteUrl}/theme/image.php/boost/core/1/u/f1`,
      functions: [...call.token.functions].sort().map((name) => ({ name, version: '2024100700' })),
      downloadfiles: 0,
      uploadfiles: 0,
      release: '4.5 (Build: 20241007)',
      version: '2024100700',
      mobilecssurl: '',
    }),
  },

  core_competency_create_competency_framework: {
    params: {
      competencyframework: single({
        shortname: text(),
        idnumber: raw(),
        description: raw({}),
        descriptionformat: int({}),
        visible: bool({}),
        scaleid: int(),
        scaleconfiguration: raw(),
        contextid: int({}),
        contextlevel: raw({}),
        instanceid: int({}),
        taxonomies: raw({}),
      }),
    },
    run: createFramework,
  },

  core_competency_read_competency_framework: {
    params: { id: int() },
    run: (params, call) => {
      const framework = call.state.frameworks.get(Number(params.id));
      if (!framework) throw missingRecord('competency_framework');
      guard(call, 'competencyview');
      return exportFramework(framework);
    },
  },

  core_competency_list_competency_frameworks: {
    params: {
      sort: raw({ default: 'shortname' }),
      order: raw({ default: '' }),
      skip: int({ default: 0 }),
      limit: int({ default: 0 }),
      context: single({ contextid: int({ default: 0 }), contextlevel: raw({ default: '' }), instanceid: int({ default: 0 }) }),
      includes: raw({ default: 'children' }),
      onlyvisible: bool({ default: false }),
      query: raw({ default: '' }),
    },
    run: (params, call) => {
      guard(call, 'competencyview');
      const query = String(params.query).toLowerCase();
      const sort = String(params.sort) as keyof FrameworkRecord;
      const descending = String(params.order).toUpperCase() === 'DESC';
      const records = [...call.state.frameworks.values()]
        .filter((f) => !params.onlyvisible || f.visible)
        .filter((f) => query === '' || f.shortname.toLowerCase().includes(query) || f.idnumber.toLowerCase().includes(query))
        .sort((a, b) => String(a[sort]).localeCompare(String(b[sort])) * (descending ? -1 : 1));
      return page(records, Number(params.skip), Number(params.limit)).map(exportFramework);
    },
  },

  core_competency_create_competency: {
    params: { competency: single({ ...competencyFields, shortname: text(), idnumber: raw(), competencyframeworkid: int() }) },
    run: createCompetency,
  },

  core_competency_read_competency: {
    params: { id: int() },
    run: (params, call) => {
      const competency = findCompetency(call.state, Number(params.id));
      guard(call, 'competencyview');
      return exportCompetency(competency);
    },
  },

  core_competency_update_competency: {
    params: { competency: single({ id: int(), ...competencyFields }) },
    run: updateCompetency,
  },

  core_competency_list_competencies: {
    params: { filters: filtersSpec, sort: raw({ default: '' }), order: raw({ default: '' }), skip: int({ default: 0 }), limit: int({ default: 0 }) },
    run: (params, call) => {
      guard(call, 'competencyview');
      const sort = (String(params.sort) || 'id') as keyof CompetencyRecord;
      const descending = String(params.order).toUpperCase() === 'DESC';
      const records = filterCompetencies(call.state, params.filters as Array<{ column: string; value: string }>).sort((a, b) => {
        const left = a[sort];
        const right = b[sort];
        const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right));
        return descending ? -order : order;
      });
      return page(records, Number(params.skip), Number(params.limit)).map(exportCompetency);
    },
  },

  core_competency_count_competencies: {
    params: { filters: filtersSpec },
    run: (params, call) => {
      guard(call, 'competencyview');
      return filterCompetencies(call.state, params.filters as Array<{ column: string; value: string }>).length;
    },
  },

  core_competency_get_scale_values: {
    params: { scaleid: int() },
    run: (params, call) => {
      guard(call, 'competencymanage');
      const scale = call.state.scales.get(Number(params.scaleid));
      if (!scale) throw missingRecord('scale');
      return scale.map((name, index) => ({ id: index + 1, name }));
    },
  },

  core_competency_add_competency_to_course: {
    params: { courseid: int(), competencyid: int() },
    run: addCompetencyToCourse,
  },

  core_competency_remove_competency_from_course: {
    params: { courseid: int(), competencyid: int() },
    run: removeCompetencyFromCourse,
  },

  core_competency_list_course_competencies: {
    params: { id: int() },
    run: listCourseCompetencies,
  },

  core_competency_count_competencies_in_course: {
    params: { id: int() },
    run: (params, call) => listCourseCompetencies(params, call).length,
  },
};

/**
 * A site's own function that links a competency to an activity, as a local plugin exposing
 * `api::add_competency_to_course_module` would. The competency must already be linked to the course.
 */
export function moduleLinkFunction(): FunctionDefinition {
  return {
    params: { cmid: int(), competencyid: int() },
    run: (params, call) => {
      const { state } = call;
      const cmid = Number(params.cmid);
      const courseid = state.courseModules.get(cmid);
      if (courseid === undefined) throw missingRecord('course_modules');
      findCourse(state, courseid);
      guard(call, 'coursecompetencymanage');
      const competencyid = Number(params.competencyid);
      findCompetency(state, competencyid);
      const inCourse = [...state.courseCompetencies.values()].some((link) => link.courseid === courseid && link.competencyid === competencyid);
      if (!inCourse) throw new MoodleError('coding_exception', 'codingerror', 'Coding error detected, it must be fixed by a programmer: The competency does not belong to this course');
      const key = `${cmid}:${competencyid}`;
      if (state.moduleLinks.has(key)) return false;
      state.moduleLinks.add(key);
      return true;
    },
  };
}
