import type { Core } from '@strapi/strapi';

export const COURSE = 'api::course.course';

/** Typed handles on the plugin's Strapi services, as loaded from the built bundle. */
export function pluginServices(strapi: Core.Strapi) {
  const plugin = strapi.plugin('skill-mapping');
  return {
    catalog: plugin.service('catalog') as any,
    endpoints: plugin.service('endpoints') as any,
    deliveries: plugin.service('deliveries') as any,
    feed: plugin.service('feed') as any,
  };
}

export function courses(strapi: Core.Strapi) {
  return strapi.documents(COURSE as any) as any;
}

/** Row counts of the plugin tables, to prove a failed save wrote nothing. */
export async function tableCounts(strapi: Core.Strapi) {
  const knex = strapi.db.connection;
  const count = async (table: string) => Number(((await knex(table).count({ n: '*' }).first()) as { n: unknown }).n);
  return {
    audit: await count('skill_mapping_audits'),
    change: await count('skill_mapping_changes'),
    outbox: await count('skill_mapping_outboxes'),
    state: await count('skill_mapping_content_states'),
  };
}
