import type { Core } from '@strapi/strapi';
import { notFound } from '../lib/errors';
import { readChanges, readContentItem, readContentPage, readSkillsPage } from '../services/feed';
import { handle } from './handle';

/** Content API controllers. Actions are named find/findOne so read-only API tokens reach them. */
export const change = ({ strapi }: { strapi: Core.Strapi }) => ({
  find: handle((ctx) => readChanges(strapi, ctx.query)),
});

export const content = ({ strapi }: { strapi: Core.Strapi }) => ({
  find: handle((ctx) => readContentPage(strapi, ctx.query)),
  findOne: handle(async (ctx) => {
    const contentId = String(ctx.params.contentId);
    const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : undefined;
    const item = await readContentItem(strapi, contentId, locale);
    if (!item) {
      throw notFound('CONTENT_NOT_FOUND', `content "${contentId}"${locale ? ` in locale "${locale}"` : ''} has no published skill metadata; check the documentId and locale.`, {
        value: contentId,
      });
    }
    return item;
  }),
});

export const skill = ({ strapi }: { strapi: Core.Strapi }) => ({
  find: handle((ctx) => readSkillsPage(strapi, ctx.query)),
});
