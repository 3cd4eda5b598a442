const authenticated = { policies: ['admin::isAuthenticatedAdmin'] };
const can = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [`plugin::skill-mapping.${action}`] } }],
});

/** Admin API under /skill-mapping, called by the plugin's admin pages. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/config', handler: 'admin.getConfig', config: authenticated },
    { method: 'GET', path: '/skills/search', handler: 'admin.searchSkills', config: authenticated },
    { method: 'GET', path: '/skills', handler: 'admin.listSkills', config: authenticated },
    { method: 'POST', path: '/skills/import', handler: 'admin.importSkills', config: can('skills.manage') },
    { method: 'POST', path: '/skills/:skillId/deprecate', handler: 'admin.deprecateSkill', config: can('skills.manage') },
    { method: 'GET', path: '/endpoints', handler: 'admin.listEndpoints', config: can('endpoints.manage') },
    { method: 'POST', path: '/endpoints', handler: 'admin.createEndpoint', config: can('endpoints.manage') },
    { method: 'PUT', path: '/endpoints/:id', handler: 'admin.updateEndpoint', config: can('endpoints.manage') },
    { method: 'DELETE', path: '/endpoints/:id', handler: 'admin.deleteEndpoint', config: can('endpoints.manage') },
    { method: 'POST', path: '/endpoints/:id/rotate-secret', handler: 'admin.rotateSecret', config: can('endpoints.manage') },
    { method: 'POST', path: '/endpoints/:id/test', handler: 'admin.testEndpoint', config: can('endpoints.manage') },
    { method: 'GET', path: '/deliveries', handler: 'admin.listDeliveries', config: can('deliveries.read') },
    { method: 'POST', path: '/deliveries/replay-dead', handler: 'admin.replayDead', config: can('endpoints.manage') },
    { method: 'POST', path: '/deliveries/replay-from', handler: 'admin.replayFrom', config: can('endpoints.manage') },
    { method: 'GET', path: '/deliveries/:id', handler: 'admin.getDelivery', config: can('deliveries.read') },
    { method: 'POST', path: '/deliveries/:id/replay', handler: 'admin.replayDelivery', config: can('endpoints.manage') },
    { method: 'GET', path: '/audit', handler: 'admin.listAudit', config: can('deliveries.read') },
    { method: 'POST', path: '/audit/withdraw', handler: 'admin.withdrawTag', config: can('endpoints.manage') },
    { method: 'GET', path: '/content-types', handler: 'admin.listContentTypes', config: authenticated },
  ],
};
