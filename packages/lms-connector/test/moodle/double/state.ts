/** Records of the double's site, shaped like Moodle's tables. */
export interface FrameworkRecord {
  id: number;
  shortname: string;
  idnumber: string;
  description: string;
  descriptionformat: number;
  visible: boolean;
  scaleid: number;
  scaleconfiguration: string;
  contextid: number;
  taxonomies: string;
  timecreated: number;
  timemodified: number;
  usermodified: number;
}

export interface CompetencyRecord {
  id: number;
  shortname: string;
  idnumber: string;
  description: string;
  descriptionformat: number;
  sortorder: number;
  parentid: number;
  path: string;
  ruleoutcome: number;
  ruletype: string | null;
  ruleconfig: string | null;
  scaleid: number | null;
  scaleconfiguration: string | null;
  competencyframeworkid: number;
  timecreated: number;
  timemodified: number;
  usermodified: number;
}

export interface CourseCompetencyRecord {
  id: number;
  courseid: number;
  competencyid: number;
  sortorder: number;
  ruleoutcome: number;
  timecreated: number;
  timemodified: number;
  usermodified: number;
}

export interface CourseRecord {
  id: number;
  visible: boolean;
}

export interface TokenRecord {
  token: string;
  userid: number;
  /** Functions of the token's external service. */
  functions: Set<string>;
  /** Capability names without the `moodle/competency:` prefix. */
  capabilities: Set<string>;
  revoked: boolean;
}

export class SiteState {
  competenciesEnabled = true;
  readonly scales = new Map<number, string[]>();
  readonly frameworks = new Map<number, FrameworkRecord>();
  readonly competencies = new Map<number, CompetencyRecord>();
  readonly courseCompetencies = new Map<number, CourseCompetencyRecord>();
  readonly courses = new Map<number, CourseRecord>();
  /** Course module id -> course id. */
  readonly courseModules = new Map<number, number>();
  /** `${cmid}:${competencyid}` links made through the site's own module function. */
  readonly moduleLinks = new Set<string>();
  readonly tokens = new Map<string, TokenRecord>();
  private nextIds = new Map<string, number>();
  private clock = 1_700_000_000;

  nextId(table: string): number {
    const id = (this.nextIds.get(table) ?? 0) + 1;
    this.nextIds.set(table, id);
    return id;
  }

  /** Seconds since the epoch; advances by one per write so timemodified changes are visible. */
  now(): number {
    this.clock += 1;
    return this.clock;
  }
}
