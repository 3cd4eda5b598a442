import { TABLES, toJsonColumn, toNumber, type Knex } from '../lib/db';
import { parseJsonColumn } from '../lib/tags';

export { TABLES, toJsonColumn, type Knex };

export interface EndpointRow {
  id: number;
  url: string;
  event_types: string[];
  content_types: string[];
  include_drafts: boolean;
  enabled: boolean;
  secret_encrypted: string;
  secret_hint: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_ms: number | null;
  flagged_reason: string | null;
  created_at: unknown;
  updated_at: unknown;
}

export function parseEndpointRow(row: Record<string, any>): EndpointRow {
  return {
    id: Number(row.id),
    url: row.url,
    event_types: (parseJsonColumn(row.event_types) as string[] | null) ?? [],
    content_types: (parseJsonColumn(row.content_types) as string[] | null) ?? [],
    include_drafts: Boolean(row.include_drafts),
    enabled: Boolean(row.enabled),
    secret_encrypted: row.secret_encrypted,
    secret_hint: row.secret_hint ?? '',
    previous_secret_encrypted: row.previous_secret_encrypted ?? null,
    previous_secret_expires_ms: toNumber(row.previous_secret_expires_ms),
    flagged_reason: row.flagged_reason ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
