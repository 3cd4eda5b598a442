import type { Kysely } from 'kysely';
import type { Database } from '../db/types';

export interface AuditInput {
  at: string;
  event_id?: string | null;
  action: 'applied' | 'stale' | 'drift' | 'reconcile' | 'mapping';
  subject_type: 'content' | 'skill' | 'skill_mapping' | 'content_mapping';
  subject_id: string;
  locale?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: string | null;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export async function writeAudit(trx: Kysely<Database>, entry: AuditInput): Promise<void> {
  await trx
    .insertInto('audit')
    .values({
      at: entry.at,
      event_id: entry.event_id ?? null,
      action: entry.action,
      subject_type: entry.subject_type,
      subject_id: entry.subject_id,
      locale: entry.locale ?? null,
      before: json(entry.before),
      after: json(entry.after),
      detail: entry.detail ?? null,
    })
    .execute();
}
