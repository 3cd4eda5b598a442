import { z } from 'zod';

import { CONTENT_ID_MAX_LENGTH, VERSION_MAX } from './limits';

// Every object schema is loose: unknown fields pass through untouched, so an older receiver keeps
// what a newer sender adds (forward compatibility) instead of failing or dropping it.

export const PROFICIENCY_LEVELS = ['beginner', 'intermediate', 'advanced', 'expert'] as const;
export const Proficiency = z.enum(PROFICIENCY_LEVELS);
export type Proficiency = z.infer<typeof Proficiency>;

export const TagSource = z.enum(['editor', 'ai']);
export type TagSource = z.infer<typeof TagSource>;

export const SkillStatus = z.enum(['active', 'deprecated']);
export type SkillStatus = z.infer<typeof SkillStatus>;

/** A UUID in the 8-4-4-4-12 hex form; the version nibble is not checked because ids come from other systems. */
export const Uuid = z.guid();

export const Version = z.int().min(1).max(VERSION_MAX);

/** RFC 3339 date-time with `Z` or a numeric offset. */
export const Timestamp = z.iso.datetime({ offset: true });

// Control characters (C0, DEL and C1) would break logs, CSV exports and URLs downstream.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const ContentId = z
  .string()
  .min(1)
  .max(CONTENT_ID_MAX_LENGTH)
  .refine((value) => !CONTROL_CHARACTERS.test(value), {
    message: 'content_id must not contain control characters',
  });

/** A locale code such as `en` or `fr-CA`; null or absent for content without locales. */
export const Locale = z.string().min(1).max(64).nullable();

export const Skill = z.looseObject({
  skill_id: Uuid,
  name: z.string().min(1),
  alt_names: z.array(z.string()).default([]),
  description: z.string().nullable().optional(),
  uri: z.string().nullable().optional(),
  framework: z.string().nullable().optional(),
  status: SkillStatus.default('active'),
  superseded_by: Uuid.nullable().optional(),
  version: Version,
});
export type Skill = z.infer<typeof Skill>;

export const SkillTag = z.looseObject({
  skill_id: Uuid,
  skill_name: z.string(),
  confidence: z.number().min(0).max(1),
  proficiency: Proficiency.optional(),
  source: TagSource.optional(),
});
export type SkillTag = z.infer<typeof SkillTag>;

/**
 * Canonical state of one content item in one locale. `content_type`, `locale`, `updated_at` and
 * `deleted` are optional on input because the contract's first published examples lack them; our
 * senders always include them.
 */
export const ContentSkills = z.looseObject({
  content_id: ContentId,
  content_type: z.string().min(1).optional(),
  locale: Locale.optional(),
  title: z.string(),
  skill_tags: z.array(SkillTag),
  metadata_version: Version,
  updated_at: Timestamp.optional(),
  deleted: z.boolean().optional(),
});
export type ContentSkills = z.infer<typeof ContentSkills>;
