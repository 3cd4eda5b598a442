import type { Core } from '@strapi/strapi';
import { deprecateSkill, importSkills, listSkills, parseImport, searchSkills } from './catalog';
import { createEndpoint, deleteEndpoint, listEndpoints, rotateSecret, testEndpoint, updateEndpoint } from './endpoints';
import { getDelivery, listDeliveries, replayDead, replayFrom, replayOne } from './deliveries';
import { pruneOldRows } from './retention';
import { getWorker } from './worker-registry';
import { readChanges } from './feed';

type Context = { strapi: Core.Strapi };

/** Strapi services: the entry points other code (scripts, tests, other plugins) may call. */
export default {
  catalog: ({ strapi }: Context) => ({
    import: (format: 'csv' | 'json', content: string, framework: string | null = null) => importSkills(strapi, parseImport(format, content, framework)),
    search: (query: Record<string, unknown>) => searchSkills(strapi, query),
    list: (query: Record<string, unknown>, paging: { page: number; pageSize: number; offset: number }) => listSkills(strapi, query, paging),
    deprecate: (skillId: string, body: { reason?: unknown; superseded_by?: unknown }) => deprecateSkill(strapi, skillId, body),
  }),
  endpoints: ({ strapi }: Context) => ({
    list: () => listEndpoints(strapi),
    create: (body: Record<string, unknown>) => createEndpoint(strapi, body),
    update: (id: unknown, body: Record<string, unknown>) => updateEndpoint(strapi, id, body),
    delete: (id: unknown) => deleteEndpoint(strapi, id),
    rotateSecret: (id: unknown, body: Record<string, unknown>) => rotateSecret(strapi, id, body),
    test: (id: unknown) => testEndpoint(strapi, id),
  }),
  deliveries: ({ strapi }: Context) => ({
    list: (query: Record<string, unknown>, paging: { page: number; pageSize: number; offset: number }) => listDeliveries(strapi, query, paging),
    get: (id: unknown) => getDelivery(strapi, id),
    replayOne: (id: unknown) => replayOne(strapi, id),
    replayDead: (body: Record<string, unknown>) => replayDead(strapi, body),
    replayFrom: (body: Record<string, unknown>) => replayFrom(strapi, body),
    prune: (now?: number) => pruneOldRows(strapi, now),
    /** Runs delivery rounds until nothing is claimable right now. */
    drain: async () => getWorker(strapi)?.drain(),
  }),
  feed: ({ strapi }: Context) => ({
    changes: (query: Record<string, unknown>) => readChanges(strapi, query),
  }),
};
