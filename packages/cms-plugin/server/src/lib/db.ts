import type { Core } from '@strapi/strapi';

/** Table names of the plugin's content types (their `collectionName`). */
export const TABLES = {
  skill: 'skill_mapping_skills',
  change: 'skill_mapping_changes',
  state: 'skill_mapping_content_states',
  outbox: 'skill_mapping_outboxes',
  delivery: 'skill_mapping_deliveries',
  audit: 'skill_mapping_audits',
  endpoint: 'skill_mapping_endpoints',
} as const;

export const UIDS = {
  skill: 'plugin::skill-mapping.skill',
  change: 'plugin::skill-mapping.change',
  state: 'plugin::skill-mapping.content-state',
  outbox: 'plugin::skill-mapping.outbox',
  delivery: 'plugin::skill-mapping.delivery',
  audit: 'plugin::skill-mapping.audit',
  endpoint: 'plugin::skill-mapping.endpoint',
} as const;

export const SKILL_TAGS_CUSTOM_FIELD = 'plugin::skill-mapping.skill-tags';

// Knex's own types are not a dependency of the plugin; the query builder is used untyped.
export type Knex = any;

export function isPostgres(strapi: Core.Strapi): boolean {
  return strapi.db.dialect.client === 'postgres';
}

/** JSON columns are jsonb on PostgreSQL and text on SQLite; both accept a JSON string. */
export function toJsonColumn(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) {
    return null;
  }
  return Number(value);
}

export function toIso(ms: unknown): string | null {
  const value = toNumber(ms);
  return value === null ? null : new Date(value).toISOString();
}

export function pageParams(query: Record<string, unknown>, defaults = { pageSize: 25, maxPageSize: 100 }) {
  const page = Math.max(1, Number.parseInt(String(query.page ?? '1'), 10) || 1);
  const requested = Number.parseInt(String(query.pageSize ?? defaults.pageSize), 10) || defaults.pageSize;
  const pageSize = Math.min(Math.max(1, requested), defaults.maxPageSize);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function pagination(page: number, pageSize: number, total: number) {
  return { page, pageSize, total, pageCount: Math.ceil(total / pageSize) };
}
