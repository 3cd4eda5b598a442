import type { Core } from '@strapi/strapi';
import { findTaggedTypes } from './recorder';
import type { Knex } from '../lib/db';

/**
 * Lists (uid, documentId, locale) of every row (draft or published) whose skill-tags contain the
 * skill. JSON columns are matched as text: skill ids are UUIDs, so a substring match is exact.
 */
export async function findSkillUsage(strapi: Core.Strapi, skillId: string, knex: Knex = strapi.db.connection) {
  const usage: Array<{ uid: string; documentId: string; locale: string | null; published: boolean }> = [];
  for (const type of findTaggedTypes(strapi).values()) {
    const meta = strapi.db.metadata.get(type.uid as any);
    const columns = type.fields.map((field) => (meta.attributes[field] as any).columnName ?? field);
    const select = ['document_id', 'published_at', ...(type.localized ? ['locale'] : [])];
    const query = knex(meta.tableName).select(select);
    query.where((builder: any) => {
      for (const column of columns) {
        builder.orWhereRaw(`CAST(?? AS TEXT) LIKE ?`, [column, `%${skillId}%`]);
      }
    });
    for (const row of await query) {
      usage.push({ uid: type.uid, documentId: row.document_id, locale: row.locale ?? null, published: row.published_at !== null });
    }
  }
  return usage;
}

/** Number of content items (documentId + locale) using the skill. */
export async function countSkillUsage(strapi: Core.Strapi, skillId: string): Promise<number> {
  const usage = await findSkillUsage(strapi, skillId);
  return new Set(usage.map((item) => `${item.uid}:${item.documentId}:${item.locale ?? ''}`)).size;
}
