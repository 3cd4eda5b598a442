import { z } from 'zod';
import type { Issue } from './errors';

export const PROFICIENCIES = ['beginner', 'intermediate', 'advanced', 'expert'] as const;

export interface SkillTag {
  skill_id: string;
  skill_name: string;
  confidence: number;
  proficiency?: (typeof PROFICIENCIES)[number];
  source?: 'editor' | 'ai';
}

/** One tag as a client may send it: `skill_name` is optional because the server fills it. */
const TagInput = z.looseObject({
  skill_id: z.guid(),
  skill_name: z.string().optional(),
  confidence: z.number().min(0).max(1),
  proficiency: z.enum(PROFICIENCIES).optional().nullable(),
  source: z.enum(['editor', 'ai']).optional().nullable(),
});

export const TagListInput = z.array(TagInput).max(500);

export function formatZodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** Canonical form of a stored tag list: known fields only, null and absent optional fields dropped. */
export function normalizeTags(value: unknown): SkillTag[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((tag): tag is Record<string, unknown> => tag !== null && typeof tag === 'object')
    .map((tag) => {
      const result: SkillTag = {
        skill_id: String(tag.skill_id),
        skill_name: String(tag.skill_name ?? ''),
        confidence: Number(tag.confidence),
      };
      if (typeof tag.proficiency === 'string') result.proficiency = tag.proficiency as SkillTag['proficiency'];
      if (typeof tag.source === 'string') result.source = tag.source as SkillTag['source'];
      return result;
    });
}

/** Parses a stored JSON column, which SQLite returns as text and PostgreSQL as a value. */
export function parseJsonColumn(value: unknown): unknown {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  }
  return value;
}

/** Tags keyed by skill_id with their fields in a fixed order, so key and list order do not matter. */
function tagSetKey(tags: SkillTag[]): string {
  return JSON.stringify(
    tags
      .map((tag) => [tag.skill_id, tag.skill_name, tag.confidence, tag.proficiency ?? null, tag.source ?? null])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0)),
  );
}

/** Returns true when both lists contain the same tags in any order, so reordering is not a change. */
export function sameTags(left: SkillTag[], right: SkillTag[]): boolean {
  return left.length === right.length && tagSetKey(left) === tagSetKey(right);
}

export function diffSkillIds(before: SkillTag[], after: SkillTag[]): { added: string[]; removed: string[] } {
  const beforeIds = new Set(before.map((tag) => tag.skill_id));
  const afterIds = new Set(after.map((tag) => tag.skill_id));
  return {
    added: [...afterIds].filter((id) => !beforeIds.has(id)),
    removed: [...beforeIds].filter((id) => !afterIds.has(id)),
  };
}
