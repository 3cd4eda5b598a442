import { TABLES, type Knex } from '../lib/db';
import { parseJsonColumn } from '../lib/tags';

export interface SkillRow {
  id: number;
  skill_id: string;
  name: string;
  alt_names: string[];
  description: string | null;
  uri: string | null;
  framework: string | null;
  group: string | null;
  status: 'active' | 'deprecated';
  superseded_by: string | null;
  deprecation_reason: string | null;
  version: number;
}

export function parseSkillRow(row: Record<string, any>): SkillRow {
  return {
    id: Number(row.id),
    skill_id: row.skill_id,
    name: row.name,
    alt_names: (parseJsonColumn(row.alt_names) as string[] | null) ?? [],
    description: row.description ?? null,
    uri: row.uri ?? null,
    framework: row.framework ?? null,
    group: row.group ?? null,
    status: row.status === 'deprecated' ? 'deprecated' : 'active',
    superseded_by: row.superseded_by ?? null,
    deprecation_reason: row.deprecation_reason ?? null,
    version: Number(row.version ?? 1),
  };
}

/** Returns the public shape of a skill (API and events), without internal columns. */
export function toSkill(row: SkillRow, successorName?: string | null) {
  return {
    skill_id: row.skill_id,
    name: row.name,
    alt_names: row.alt_names,
    description: row.description,
    uri: row.uri,
    framework: row.framework,
    group: row.group,
    status: row.status,
    superseded_by: row.superseded_by,
    ...(successorName !== undefined ? { superseded_by_name: successorName } : {}),
    deprecation_reason: row.deprecation_reason,
    version: row.version,
  };
}

export async function findSkillsByIds(knex: Knex, ids: string[]): Promise<Map<string, SkillRow>> {
  const result = new Map<string, SkillRow>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await knex(TABLES.skill).select('*').whereIn('skill_id', unique.slice(start, start + 500));
    for (const row of rows) {
      const skill = parseSkillRow(row);
      result.set(skill.skill_id, skill);
    }
  }
  return result;
}
