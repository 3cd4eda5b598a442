import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import type { ContentRow, TagRow } from './content';

/** A content item as the connector serves it: ContentSkills plus mapping and proficiency per tag. */
export interface ContentView {
  content_id: string;
  content_type: string | null;
  locale: string | null;
  title: string;
  metadata_version: number;
  updated_at: string | null;
  deleted: boolean;
  deleted_reason: string | null;
  lms_course_id: string | null;
  skill_tags: Array<{
    skill_id: string;
    skill_name: string;
    confidence: number;
    proficiency?: string;
    source?: string;
    derived_proficiency: string | null;
    status: string;
    status_reason: string | null;
    superseded_by: string | null;
    lms_competency_id: string | null;
  }>;
  [key: string]: unknown;
}

/** Builds the views of several items with two extra queries (tags with their mappings, course ids). */
export async function contentViews(db: Kysely<Database>, states: ContentRow[]): Promise<ContentView[]> {
  if (states.length === 0) return [];
  const ids = [...new Set(states.map((state) => state.content_id))];

  const tags = await db
    .selectFrom('content_tag')
    .leftJoin('skill_mapping', 'skill_mapping.skill_id', 'content_tag.skill_id')
    .selectAll('content_tag')
    .select('skill_mapping.lms_competency_id')
    .where('content_tag.content_id', 'in', ids)
    .orderBy('content_tag.skill_id')
    .execute();
  const courses = await db.selectFrom('content_mapping').selectAll().where('content_id', 'in', ids).execute();
  const courseOf = new Map(courses.map((row) => [row.content_id, row.lms_course_id]));

  const tagsOf = new Map<string, Array<TagRow & { lms_competency_id: string | null }>>();
  for (const tag of tags) {
    const key = `${tag.content_id}\u0000${tag.locale}`;
    const list = tagsOf.get(key) ?? [];
    list.push(tag);
    tagsOf.set(key, list);
  }

  return states.map((state) => {
    const extra = state.extra ? (JSON.parse(state.extra) as Record<string, unknown>) : {};
    return {
      ...extra,
      content_id: state.content_id,
      content_type: state.content_type,
      locale: state.locale === '' ? null : state.locale,
      title: state.title,
      metadata_version: state.metadata_version,
      updated_at: state.updated_at,
      deleted: state.deleted === 1,
      deleted_reason: state.deleted_reason,
      lms_course_id: courseOf.get(state.content_id) ?? null,
      skill_tags: (tagsOf.get(`${state.content_id}\u0000${state.locale}`) ?? []).map((tag) => ({
        skill_id: tag.skill_id,
        skill_name: tag.skill_name,
        confidence: tag.confidence,
        ...(tag.proficiency ? { proficiency: tag.proficiency } : {}),
        ...(tag.source ? { source: tag.source } : {}),
        derived_proficiency: tag.derived_proficiency,
        status: tag.status,
        status_reason: tag.status_reason,
        superseded_by: tag.superseded_by,
        lms_competency_id: tag.lms_competency_id ?? null,
      })),
    };
  });
}
