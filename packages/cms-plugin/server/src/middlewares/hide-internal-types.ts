/**
 * The plugin's tables (endpoint secrets, outbox bodies, audit rows, the catalog) are hidden in the
 * Content Manager UI by `pluginOptions`, but its admin API would still list and edit them for a
 * super admin, bypassing the plugin's own checks. This middleware returns 404 for any Content
 * Manager route about a `plugin::skill-mapping.*` content type. The plugin's admin routes remain.
 */
const PREFIX = '/content-manager/';
const INTERNAL_UID = 'plugin::skill-mapping.';

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function hideInternalTypes() {
  return async (ctx: any, next: () => Promise<unknown>) => {
    if (typeof ctx.path === 'string' && ctx.path.startsWith(PREFIX) && decode(ctx.path).includes(INTERNAL_UID)) {
      ctx.status = 404;
      ctx.body = {
        data: null,
        error: {
          status: 404,
          name: 'NotFoundError',
          message: 'The skill-mapping plugin manages this content type through its own admin pages (Settings, Deliveries, Skills, Audit).',
          details: { code: 'CONTENT_TYPE_INTERNAL' },
        },
      };
      return;
    }
    await next();
  };
}
