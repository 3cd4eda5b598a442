import type { Core } from '@strapi/strapi';
import { saveValidationError, type Issue } from '../lib/errors';
import { TagListInput, formatZodIssues, type SkillTag } from '../lib/tags';
import { findSkillsByIds } from './skills-lookup';
import type { Knex } from '../lib/db';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value as object).slice(0, 5).join(', ') || '(none)'}`;
  return `a ${typeof value}`;
}

/**
 * Validates a skill-tags value sent for one field and returns the canonical list with `skill_name`
 * filled from the catalog. Tags already on the item (`previous`) may point to a skill deprecated
 * since; newly added tags must point to an active skill. Throws a 400 listing every issue.
 */
export async function validateSkillTags(
  strapi: Core.Strapi,
  knex: Knex,
  field: string,
  value: unknown,
  previous: SkillTag[],
): Promise<SkillTag[]> {
  if (value === null || value === undefined) {
    return [];
  }
  const input = typeof value === 'string' ? safeParse(value) : value;
  if (!Array.isArray(input)) {
    throw saveValidationError(
      'SKILL_TAGS_INVALID',
      `${field} must be an array of skill tags like [{"skill_id":"<uuid>","confidence":1}]; got ${describe(input)}.`,
      { field, issues: [{ path: field, code: 'invalid_type', message: `expected array, received ${describe(input)}` }] },
    );
  }

  const parsed = TagListInput.safeParse(input);
  if (!parsed.success) {
    const issues = formatZodIssues(parsed.error, field);
    throw saveValidationError('SKILL_TAGS_INVALID', `${field} has ${issues.length} invalid value(s): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`, {
      field,
      issues,
    });
  }

  const issues: Issue[] = [];
  const seen = new Set<string>();
  parsed.data.forEach((tag, index) => {
    if (seen.has(tag.skill_id)) {
      issues.push({ path: `${field}.${index}.skill_id`, code: 'SKILL_DUPLICATE', message: `skill ${tag.skill_id} is tagged twice; keep one tag per skill.` });
    }
    seen.add(tag.skill_id);
  });

  const skills = await findSkillsByIds(knex, parsed.data.map((tag) => tag.skill_id));
  const previousIds = new Set(previous.map((tag) => tag.skill_id));
  const result: SkillTag[] = [];
  parsed.data.forEach((tag, index) => {
    const skill = skills.get(tag.skill_id);
    if (!skill) {
      issues.push({
        path: `${field}.${index}.skill_id`,
        code: 'SKILL_NOT_FOUND',
        message: `skill ${tag.skill_id} is not in the catalog; import it first or pick an existing skill.`,
      });
      return;
    }
    if (skill.status === 'deprecated' && !previousIds.has(tag.skill_id)) {
      const next = skill.superseded_by ? ` use its successor ${skill.superseded_by}` : ' pick an active skill';
      issues.push({ path: `${field}.${index}.skill_id`, code: 'SKILL_DEPRECATED', message: `skill ${tag.skill_id} (${skill.name}) is deprecated;${next}.` });
      return;
    }
    const canonical: SkillTag = { skill_id: skill.skill_id, skill_name: skill.name, confidence: tag.confidence };
    if (tag.proficiency) canonical.proficiency = tag.proficiency;
    if (tag.source) canonical.source = tag.source;
    result.push(canonical);
  });

  if (issues.length > 0) {
    throw saveValidationError('SKILL_TAGS_INVALID', `${field} was rejected: ${issues.map((i) => i.message).join(' ')}`, { field, issues });
  }
  strapi.log.debug(`[skill-mapping] validated ${result.length} skill tags on ${field}`);
  return result;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
