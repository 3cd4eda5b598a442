import type { MoodleClient } from './client';

/** Text formats of Moodle description fields. */
export const DescriptionFormat = { MOODLE: 0, HTML: 1, PLAIN: 2, MARKDOWN: 4 } as const;

export interface MoodleSiteInfo {
  sitename: string;
  userid: number;
  release?: string;
  functions?: Array<{ name: string; version: string }>;
}

export interface MoodleFramework {
  id: number;
  shortname: string;
  idnumber: string;
  scaleid: number;
  scaleconfiguration: string;
  visible: boolean | number;
}

export interface MoodleCompetency {
  id: number;
  shortname: string;
  idnumber: string;
  description: string;
  descriptionformat: number;
  competencyframeworkid: number;
  parentid: number;
}

export interface MoodleCourseCompetency {
  competency: MoodleCompetency;
  coursecompetency: { id: number; courseid: number; competencyid: number; ruleoutcome: number };
}

export interface MoodleScaleValue {
  id: number;
  name: string;
}

export interface NewFramework {
  shortname: string;
  idnumber: string;
  description: string;
  descriptionformat: number;
  scaleid: number;
  scaleconfiguration: string;
  taxonomies: string;
}

export interface NewCompetency {
  shortname: string;
  idnumber: string;
  description: string;
  descriptionformat: number;
  competencyframeworkid: number;
}

export type CompetencyFilterColumn =
  | 'id'
  | 'shortname'
  | 'description'
  | 'sortorder'
  | 'idnumber'
  | 'parentid'
  | 'competencyframeworkid';

export type CompetencyFilter = {
  column: CompetencyFilterColumn;
  value: string | number;
};

/** Every web service function the adapter calls; the site's external service must list each of them. */
export const REQUIRED_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_competency_list_competency_frameworks',
  'core_competency_create_competency_framework',
  'core_competency_get_scale_values',
  'core_competency_list_competencies',
  'core_competency_read_competency',
  'core_competency_create_competency',
  'core_competency_update_competency',
  'core_competency_list_course_competencies',
  'core_competency_add_competency_to_course',
  'core_competency_remove_competency_from_course',
] as const;

/** Typed wrappers over the `core_competency_*` functions, one method per web service function. */
export class MoodleApi {
  constructor(readonly client: MoodleClient) {}

  getSiteInfo(): Promise<MoodleSiteInfo> {
    return this.client.call('core_webservice_get_site_info');
  }

  /** Frameworks anywhere on the site whose shortname or idnumber contains `query`. */
  listFrameworks(query: string, skip = 0, limit = 0): Promise<MoodleFramework[]> {
    return this.client.call('core_competency_list_competency_frameworks', {
      sort: 'shortname',
      order: 'ASC',
      skip,
      limit,
      context: { contextlevel: 'system', instanceid: 0 },
      includes: 'children',
      onlyvisible: false,
      query,
    });
  }

  createFramework(framework: NewFramework): Promise<MoodleFramework> {
    return this.client.call('core_competency_create_competency_framework', {
      competencyframework: { ...framework, visible: true, contextlevel: 'system', instanceid: 0 },
    });
  }

  getScaleValues(scaleId: number): Promise<MoodleScaleValue[]> {
    return this.client.call('core_competency_get_scale_values', { scaleid: scaleId });
  }

  listCompetencies(filters: [CompetencyFilter, ...CompetencyFilter[]], skip = 0, limit = 0): Promise<MoodleCompetency[]> {
    return this.client.call('core_competency_list_competencies', { filters, sort: 'id', order: 'ASC', skip, limit });
  }

  /** Pages through every competency of a framework, `pageSize` records per call. */
  async *iterateFrameworkCompetencies(frameworkId: number, pageSize: number): AsyncGenerator<MoodleCompetency> {
    for (let skip = 0; ; skip += pageSize) {
      const page = await this.listCompetencies([{ column: 'competencyframeworkid', value: frameworkId }], skip, pageSize);
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  async findCompetencyByIdnumber(frameworkId: number, idnumber: string): Promise<MoodleCompetency | null> {
    const found = await this.listCompetencies([
      { column: 'competencyframeworkid', value: frameworkId },
      { column: 'idnumber', value: idnumber },
    ]);
    return found[0] ?? null;
  }

  readCompetency(id: number): Promise<MoodleCompetency> {
    return this.client.call('core_competency_read_competency', { id });
  }

  createCompetency(competency: NewCompetency): Promise<MoodleCompetency> {
    return this.client.call('core_competency_create_competency', { competency: { ...competency, parentid: 0 } });
  }

  updateCompetency(change: { id: number; shortname: string; description: string; descriptionformat: number }): Promise<boolean> {
    return this.client.call('core_competency_update_competency', { competency: change });
  }

  listCourseCompetencies(courseId: number): Promise<MoodleCourseCompetency[]> {
    return this.client.call('core_competency_list_course_competencies', { id: courseId });
  }

  /** True when the link was made now, false when it already existed. */
  addCompetencyToCourse(courseId: number, competencyId: number): Promise<boolean> {
    return this.client.call('core_competency_add_competency_to_course', { courseid: courseId, competencyid: competencyId });
  }

  /** Also drops the competency's activity links in that course; false when it was not linked. */
  removeCompetencyFromCourse(courseId: number, competencyId: number): Promise<boolean> {
    return this.client.call('core_competency_remove_competency_from_course', { courseid: courseId, competencyid: competencyId });
  }

  /**
   * Calls a site's own function that links a competency to a course module (activity); core Moodle has
   * none. The function receives `cmid` and `competencyid`.
   */
  linkCompetencyToModule(functionName: string, cmid: number, competencyId: number): Promise<unknown> {
    return this.client.call(functionName, { cmid, competencyid: competencyId });
  }
}
