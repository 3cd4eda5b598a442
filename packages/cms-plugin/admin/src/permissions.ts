import { PLUGIN_ID } from './pluginId';

const action = (uid: string) => ({ action: `plugin::${PLUGIN_ID}.${uid}`, subject: null });

/** RBAC actions the plugin server registers; the server enforces them on every admin route. */
export const PERMISSIONS = {
  readDeliveries: [action('deliveries.read')],
  manageEndpoints: [action('endpoints.manage')],
  manageSkills: [action('skills.manage')],
  tagContent: [action('content.tag')],
};

/** Any one of these makes the plugin's menu link visible. */
export const MENU_PERMISSIONS = [
  ...PERMISSIONS.readDeliveries,
  ...PERMISSIONS.manageEndpoints,
  ...PERMISSIONS.manageSkills,
];
