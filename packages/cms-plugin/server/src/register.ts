import type { Core } from '@strapi/strapi';
import { createDocumentMiddleware } from './services/recorder';
import { createSkillGuardMiddleware } from './services/skill-guard';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.customFields.register({
    name: 'skill-tags',
    plugin: 'skill-mapping',
    type: 'json',
  });

  strapi.documents.use(createDocumentMiddleware(strapi));
  strapi.documents.use(createSkillGuardMiddleware(strapi));
};
