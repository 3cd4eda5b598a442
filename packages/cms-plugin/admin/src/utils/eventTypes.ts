import type { EventType } from '../../../shared/contracts';

/** Every event type an endpoint can subscribe to, in the order the settings form lists them. */
export const EVENT_TYPES: EventType[] = [
  'content.tag.updated',
  'content.tag.deprecated',
  'content.deleted',
  'skill.updated',
  'skill.deprecated',
  'endpoint.test',
];
