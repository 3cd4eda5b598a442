import type { Core } from '@strapi/strapi';
import { createDocumentMiddleware } from './services/recorder';
import { createSkillGuardMiddleware } from './services/skill-guard';
import { hideInternalTypes } from './middlewares/hide-internal-types';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.customFields.register({
    name: 'skill-tags',
    plugin: 'skill-mapping',
    type: 'json',
  });

  // Only the benchmark sets this, to time the same save without the plugin's write path; with it
  // set, tags are neither validated nor recorded.
  if (process.env.SKILL_MAPPING_BENCH_BYPASS_RECORDER !== '1') {
    strapi.documents.use(createDocumentMiddleware(strapi));
  }
  strapi.documents.use(createSkillGuardMiddleware(strapi));
  strapi.server.use(hideInternalTypes());
};
