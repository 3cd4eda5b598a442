import type { Logger } from 'pino';
import type { AdapterContext, AdapterSkill, CourseLink } from '../adapters/types';
import type { Db } from '../db/connection';
import type { SkillTable } from '../db/types';
import { writeAudit } from '../state/audit';

function toAdapterSkill(row: Pick<SkillTable, 'skill_id' | 'name' | 'description' | 'status' | 'superseded_by' | 'version'>): AdapterSkill {
  return {
    skill_id: row.skill_id,
    name: row.name,
    description: row.description,
    status: row.status === 'deprecated' ? 'deprecated' : 'active',
    superseded_by: row.superseded_by,
    version: row.version,
  };
}

/** Builds the adapter's read and write access to the connector's current committed state. */
export function createAdapterContext(db: Db, logger: Logger): AdapterContext {
  const k = db.kysely;
  return {
    logger,

    async getSkill(skillId) {
      const row = await k.selectFrom('skill').selectAll().where('skill_id', '=', skillId).executeTakeFirst();
      return row ? toAdapterSkill(row) : null;
    },

    async *listSkills() {
      let after = '';
      for (;;) {
        const rows = await k.selectFrom('skill').selectAll().where('skill_id', '>', after).orderBy('skill_id').limit(500).execute();
        for (const row of rows) yield toAdapterSkill(row);
        if (rows.length < 500) return;
        after = rows[rows.length - 1]!.skill_id;
      }
    },

    async getCompetencyId(skillId) {
      const row = await k.selectFrom('skill_mapping').select('lms_competency_id').where('skill_id', '=', skillId).executeTakeFirst();
      return row?.lms_competency_id ?? null;
    },

    async setCompetencyId(skillId, lmsCompetencyId) {
      const now = new Date().toISOString();
      await k.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('skill_mapping').selectAll().where('skill_id', '=', skillId).executeTakeFirst();
        if (before?.lms_competency_id === lmsCompetencyId) return;
        const row = { skill_id: skillId, lms_competency_id: lmsCompetencyId, status: before?.status ?? 'active', updated_at: now };
        await trx.insertInto('skill_mapping').values(row).onConflict((oc) => oc.column('skill_id').doUpdateSet(row)).execute();
        await writeAudit(trx, { at: now, action: 'mapping', subject_type: 'skill_mapping', subject_id: skillId, before: before ?? null, after: row, detail: 'recorded by the LMS adapter' });
      });
    },

    async getCourseId(contentId) {
      const row = await k.selectFrom('content_mapping').select('lms_course_id').where('content_id', '=', contentId).executeTakeFirst();
      return row?.lms_course_id ?? null;
    },

    async listCourseLinks(lmsCourseId): Promise<CourseLink[]> {
      const rows = await k
        .selectFrom('content_mapping')
        .innerJoin('content_tag', 'content_tag.content_id', 'content_mapping.content_id')
        .select(['content_tag.content_id', 'content_tag.locale', 'content_tag.skill_id', 'content_tag.status', 'content_tag.derived_proficiency'])
        .where('content_mapping.lms_course_id', '=', lmsCourseId)
        .orderBy('content_tag.content_id')
        .orderBy('content_tag.locale')
        .orderBy('content_tag.skill_id')
        .execute();
      return rows.map((row) => ({
        content_id: row.content_id,
        locale: row.locale,
        skill_id: row.skill_id,
        status: row.status === 'active' ? 'active' : 'deprecated',
        derived_proficiency: row.derived_proficiency,
      }));
    },
  };
}
