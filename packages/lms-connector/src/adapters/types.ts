export type AdapterErrorKind =
  | 'retryable'   // network error, timeout, 5xx: retry with backoff, keep the task pending
  | 'paused'      // invalidtoken, webservice_access_exception, nopermissions: stop calling the LMS,
                  // keep every task pending, log one clear operator line, probe again later
  | 'permanent';  // invalidparameter, validation errors: mark this task failed with the LMS message

export class AdapterError extends Error {
  constructor(readonly kind: AdapterErrorKind, readonly code: string, message: string) { super(message); }
}

export interface AdapterSkill {
  skill_id: string; name: string; description?: string | null; status: 'active' | 'deprecated';
  superseded_by?: string | null; version: number;
}

export interface CourseLink {
  content_id: string; locale: string;      // '' when the item has no locale
  skill_id: string;
  status: 'active' | 'deprecated';         // deprecated = removed/withdrawn/deleted, kept as history
  derived_proficiency: string | null;      // null = below the lowest band: must not be linked
}

export interface AdapterContext {
  logger: import('pino').Logger;
  getSkill(skillId: string): Promise<AdapterSkill | null>;
  listSkills(): AsyncIterable<AdapterSkill>;           // pages through the connector's skill table
  getCompetencyId(skillId: string): Promise<string | null>;          // mapping table lookup
  setCompetencyId(skillId: string, lmsCompetencyId: string): Promise<void>; // mapping table write
  getCourseId(contentId: string): Promise<string | null>;            // content -> LMS course mapping
  listCourseLinks(lmsCourseId: string): Promise<CourseLink[]>;       // every tag of every content item
                                                                     // (all locales) mapped to that course
}

export type AdapterTask =
  | { kind: 'content'; content_id: string; locale: string }   // after a content event was applied
  | { kind: 'skill'; skill_id: string }                       // after skill.updated / skill.deprecated
  | { kind: 'catalog' };                                      // full catalog push (on demand)

export interface LmsAdapter {
  readonly name: string;                                      // 'none' | 'moodle'
  /** Idempotent: brings the LMS in line with the connector's CURRENT state for the task's subject. */
  run(task: AdapterTask, ctx: AdapterContext): Promise<void>;
  /** Cheap call used to find out whether a paused adapter can resume (e.g. a token check). */
  probe?(ctx: AdapterContext): Promise<void>;
  close?(): Promise<void>;
}
