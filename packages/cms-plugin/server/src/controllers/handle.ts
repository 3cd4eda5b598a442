import { sendPluginError } from '../lib/errors';

/** Wraps a controller action so PluginErrors become Strapi error bodies with their own status. */
export function handle(action: (ctx: any) => Promise<unknown>) {
  return async (ctx: any) => {
    try {
      const body = await action(ctx);
      if (body !== undefined) ctx.body = body;
    } catch (error) {
      sendPluginError(ctx, error);
    }
  };
}
