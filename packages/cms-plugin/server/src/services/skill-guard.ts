import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { countSkillUsage } from './skill-usage';

/** Rejects deleting a skill that content still uses; such a skill is deprecated instead. */
export function createSkillGuardMiddleware(strapi: Core.Strapi) {
  return async (context: any, next: () => Promise<any>) => {
    if (context.uid !== 'plugin::skill-mapping.skill' || context.action !== 'delete') return next();
    const documentId = context.params?.documentId;
    const row = documentId ? await strapi.db.query('plugin::skill-mapping.skill' as any).findOne({ where: { documentId } }) : null;
    if (row) {
      const usage = await countSkillUsage(strapi, row.skill_id);
      if (usage > 0) {
        throw new errors.ApplicationError(`Skill ${row.skill_id} (${row.name}) is used by ${usage} content item(s) and cannot be deleted; deprecate it instead.`, {
          code: 'SKILL_IN_USE',
          skill_id: row.skill_id,
          usage,
        });
      }
    }
    return next();
  };
}
