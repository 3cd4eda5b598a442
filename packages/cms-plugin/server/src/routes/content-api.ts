/** Pull API under /api/skill-mapping, authenticated by Strapi API tokens. */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/content/changes', handler: 'change.find', config: { policies: [] } },
    { method: 'GET', path: '/content', handler: 'content.find', config: { policies: [] } },
    { method: 'GET', path: '/content/:contentId', handler: 'content.findOne', config: { policies: [] } },
    { method: 'GET', path: '/skills', handler: 'skill.find', config: { policies: [] } },
    { method: 'PUT', path: '/content/:contentId/tags', handler: 'tagging.update', config: { policies: [] } },
    { method: 'POST', path: '/content/:contentId/publish', handler: 'tagging.publish', config: { policies: [] } },
  ],
};
