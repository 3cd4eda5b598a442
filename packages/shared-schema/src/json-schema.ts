import { z } from 'zod';

import { EVENT_SCHEMAS, EventEnvelope } from './events';

/**
 * Builds the published JSON Schema documents (draft 2020-12, input side so defaults are optional),
 * keyed by file name under `schema/`.
 */
export function buildJsonSchemas(): Record<string, unknown> {
  const documents: Record<string, unknown> = {
    'event-envelope.schema.json': z.toJSONSchema(EventEnvelope, { target: 'draft-2020-12', io: 'input' }),
  };

  for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) {
    documents[`${type}.schema.json`] = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  }

  return documents;
}
