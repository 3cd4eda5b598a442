import { z } from 'zod';

import { CURRENT_SCHEMA_VERSION } from './limits';
import { ContentId, ContentSkills, Locale, Skill, Timestamp, Uuid, Version } from './model';

export const EVENT_TYPES = [
  'content.tag.updated',
  'content.tag.deprecated',
  'content.deleted',
  'skill.updated',
  'skill.deprecated',
  'endpoint.test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The envelope every event shares; `data` is checked by the event type's own schema. */
export const EventEnvelope = z.looseObject({
  event_id: Uuid,
  event_type: z.string().min(1),
  schema_version: z.int().min(1).default(CURRENT_SCHEMA_VERSION),
  timestamp: Timestamp,
  source: z.string().min(1),
  data: z.looseObject({}),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

function eventOf<Type extends EventType, Data extends z.ZodType>(type: Type, data: Data) {
  return EventEnvelope.extend({ event_type: z.literal(type), data });
}

/** Skill ids that entered or left the tag set, against the previous change of the same item and locale. */
export const TagChanges = z.looseObject({
  added: z.array(Uuid),
  removed: z.array(Uuid),
});
export type TagChanges = z.infer<typeof TagChanges>;

export const ContentTagUpdatedData = ContentSkills.extend({ changes: TagChanges.optional() });
export type ContentTagUpdatedData = z.infer<typeof ContentTagUpdatedData>;

export const ContentTagDeprecatedData = z.looseObject({
  content_id: ContentId,
  locale: Locale.optional(),
  skill_id: Uuid,
  reason: z.string().min(1),
  superseded_by: Uuid.nullable().optional(),
  metadata_version: Version,
});
export type ContentTagDeprecatedData = z.infer<typeof ContentTagDeprecatedData>;

export const ContentDeletedReason = z.enum(['unpublished', 'deleted']);

export const ContentDeletedData = z.looseObject({
  content_id: ContentId,
  locale: Locale.optional(),
  reason: ContentDeletedReason,
  metadata_version: Version,
});
export type ContentDeletedData = z.infer<typeof ContentDeletedData>;

export const SkillDeprecatedData = z.looseObject({
  skill_id: Uuid,
  superseded_by: Uuid.nullable().optional(),
  reason: z.string().min(1),
  version: Version,
});
export type SkillDeprecatedData = z.infer<typeof SkillDeprecatedData>;

export const ContentTagUpdatedEvent = eventOf('content.tag.updated', ContentTagUpdatedData);
export type ContentTagUpdatedEvent = z.infer<typeof ContentTagUpdatedEvent>;

export const ContentTagDeprecatedEvent = eventOf('content.tag.deprecated', ContentTagDeprecatedData);
export type ContentTagDeprecatedEvent = z.infer<typeof ContentTagDeprecatedEvent>;

export const ContentDeletedEvent = eventOf('content.deleted', ContentDeletedData);
export type ContentDeletedEvent = z.infer<typeof ContentDeletedEvent>;

export const SkillUpdatedEvent = eventOf('skill.updated', Skill);
export type SkillUpdatedEvent = z.infer<typeof SkillUpdatedEvent>;

export const SkillDeprecatedEvent = eventOf('skill.deprecated', SkillDeprecatedData);
export type SkillDeprecatedEvent = z.infer<typeof SkillDeprecatedEvent>;

export const EndpointTestEvent = eventOf('endpoint.test', z.looseObject({}));
export type EndpointTestEvent = z.infer<typeof EndpointTestEvent>;

export const SkillMappingEvent = z.discriminatedUnion('event_type', [
  ContentTagUpdatedEvent,
  ContentTagDeprecatedEvent,
  ContentDeletedEvent,
  SkillUpdatedEvent,
  SkillDeprecatedEvent,
  EndpointTestEvent,
]);
export type SkillMappingEvent = z.infer<typeof SkillMappingEvent>;

/** Event schemas by type, for JSON Schema export and for callers that pick one type. */
export const EVENT_SCHEMAS = {
  'content.tag.updated': ContentTagUpdatedEvent,
  'content.tag.deprecated': ContentTagDeprecatedEvent,
  'content.deleted': ContentDeletedEvent,
  'skill.updated': SkillUpdatedEvent,
  'skill.deprecated': SkillDeprecatedEvent,
  'endpoint.test': EndpointTestEvent,
} as const satisfies Record<EventType, z.ZodType>;
