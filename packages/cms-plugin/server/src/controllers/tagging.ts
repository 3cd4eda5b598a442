import type { Core } from '@strapi/strapi';
import { writeExternalTags, publishContent } from '../services/tagging';
import { handle } from './handle';

/** Content API controller for outside tagging services; its actions are granted one by one to custom tokens. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  update: handle((ctx) => writeExternalTags(strapi, ctx, String(ctx.params.contentId), ctx.request.body ?? {})),
  publish: handle((ctx) => publishContent(strapi, String(ctx.params.contentId), ctx.request.body ?? {})),
});
