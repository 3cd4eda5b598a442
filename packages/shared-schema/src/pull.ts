import { z } from 'zod';

import { ContentId, ContentSkills, Locale, Skill, Timestamp, Version } from './model';

export const CHANGES_LIMIT_MIN = 1;
export const CHANGES_LIMIT_MAX = 500;
export const CHANGES_LIMIT_DEFAULT = 100;

export const ChangeOp = z.enum(['create', 'update', 'delete']);
export type ChangeOp = z.infer<typeof ChangeOp>;

/** One entry of the change feed: which item changed, not its new state. */
export const ChangeItem = z.looseObject({
  content_id: ContentId,
  locale: Locale.optional(),
  changed_at: Timestamp,
  op: ChangeOp,
  metadata_version: Version.optional(),
});
export type ChangeItem = z.infer<typeof ChangeItem>;

/** A page of the change feed. A client that gets no `has_more` pages on until an empty page. */
export const ChangesPage = z.looseObject({
  cursor: z.string().min(1),
  has_more: z.boolean().optional(),
  items: z.array(ChangeItem),
});
export type ChangesPage = z.infer<typeof ChangesPage>;

const limitMessage = `limit must be an integer from ${CHANGES_LIMIT_MIN} to ${CHANGES_LIMIT_MAX}`;

/**
 * Query of every paged pull route. `limit` arrives as a query-string text; an out-of-range value is
 * reported with code `too_small`/`too_big` at path `limit`, which servers map to `LIMIT_OUT_OF_RANGE`.
 */
export const ChangesQuery = z.looseObject({
  cursor: z.string().min(1).optional(),
  limit: z.coerce
    .number({ error: limitMessage })
    .int({ error: limitMessage })
    .min(CHANGES_LIMIT_MIN, { error: limitMessage })
    .max(CHANGES_LIMIT_MAX, { error: limitMessage })
    .default(CHANGES_LIMIT_DEFAULT),
});
export type ChangesQuery = z.infer<typeof ChangesQuery>;

/** A page of current state for full reconciliation. */
export const ContentPage = z.looseObject({
  cursor: z.string().min(1).nullable(),
  has_more: z.boolean().optional(),
  items: z.array(ContentSkills),
});
export type ContentPage = z.infer<typeof ContentPage>;

export const SkillsPage = z.looseObject({
  cursor: z.string().min(1).nullable(),
  has_more: z.boolean().optional(),
  items: z.array(Skill),
});
export type SkillsPage = z.infer<typeof SkillsPage>;
