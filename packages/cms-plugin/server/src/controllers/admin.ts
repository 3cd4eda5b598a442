import type { Core } from '@strapi/strapi';
import { pageParams, pagination } from '../lib/db';
import { PROFICIENCIES } from '../lib/tags';
import { deprecateSkill, importSkills, listSkills, parseImport, searchSkills } from '../services/catalog';
import { createEndpoint, deleteEndpoint, listEndpoints, rotateSecret, testEndpoint, updateEndpoint } from '../services/endpoints';
import { getDelivery, listDeliveries, replayDead, replayFrom, replayOne } from '../services/deliveries';
import { listAudit, withdrawTag } from '../services/audit';
import { getPluginConfig } from '../services/plugin-config';
import { findTaggedTypes } from '../services/recorder';
import { handle } from './handle';

/** Admin API controllers; the request and response types are in shared/contracts.ts. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  getConfig: handle(async (ctx) => ({
    defaultProficiency: getPluginConfig(strapi).defaultProficiency,
    proficiencyLevels: PROFICIENCIES,
    canTag: Boolean(ctx.state.userAbility?.can('plugin::skill-mapping.content.tag')),
  })),

  searchSkills: handle((ctx) => searchSkills(strapi, ctx.query)),

  listSkills: handle(async (ctx) => {
    const paging = pageParams(ctx.query);
    const { results, total } = await listSkills(strapi, ctx.query, paging);
    return { results, pagination: pagination(paging.page, paging.pageSize, total) };
  }),

  importSkills: handle((ctx) => {
    const body = ctx.request.body ?? {};
    return importSkills(strapi, parseImport(body.format, body.content, body.framework ?? null));
  }),

  deprecateSkill: handle((ctx) => deprecateSkill(strapi, String(ctx.params.skillId), ctx.request.body ?? {})),

  listEndpoints: handle(() => listEndpoints(strapi)),
  createEndpoint: handle(async (ctx) => {
    ctx.status = 201;
    return createEndpoint(strapi, ctx.request.body ?? {});
  }),
  updateEndpoint: handle((ctx) => updateEndpoint(strapi, ctx.params.id, ctx.request.body ?? {})),
  deleteEndpoint: handle((ctx) => deleteEndpoint(strapi, ctx.params.id)),
  rotateSecret: handle((ctx) => rotateSecret(strapi, ctx.params.id, ctx.request.body ?? {})),
  testEndpoint: handle((ctx) => testEndpoint(strapi, ctx.params.id)),

  listDeliveries: handle((ctx) => listDeliveries(strapi, ctx.query, pageParams(ctx.query))),
  getDelivery: handle((ctx) => getDelivery(strapi, ctx.params.id)),
  replayDelivery: handle((ctx) => replayOne(strapi, ctx.params.id)),
  replayDead: handle((ctx) => replayDead(strapi, ctx.request.body ?? {})),
  replayFrom: handle((ctx) => replayFrom(strapi, ctx.request.body ?? {})),

  listAudit: handle((ctx) => listAudit(strapi, ctx.query, pageParams(ctx.query))),
  withdrawTag: handle((ctx) => withdrawTag(strapi, ctx.request.body ?? {}, ctx.state.user)),

  listContentTypes: handle(async () => ({
    results: [...findTaggedTypes(strapi).values()].map((type) => ({
      uid: type.uid,
      displayName: (strapi.contentTypes as any)[type.uid]?.info?.displayName ?? type.uid,
      fields: type.fields,
    })),
  })),
});
