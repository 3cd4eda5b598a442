import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { TABLES, parseEndpointRow, type Knex } from './shared-rows';

export type EventType =
  | 'content.tag.updated'
  | 'content.tag.deprecated'
  | 'content.deleted'
  | 'skill.updated'
  | 'skill.deprecated'
  | 'endpoint.test';

export interface EventEnvelope {
  event_id: string;
  event_type: EventType;
  schema_version: 1;
  timestamp: string;
  source: 'cms';
  data: Record<string, unknown>;
}

export interface EnqueueOptions {
  eventType: EventType;
  data: Record<string, unknown>;
  /** Content type uid for endpoint filtering; null for skill events. */
  contentType: string | null;
  contentId: string | null;
  locale: string | null;
  metadataVersion: number | null;
  changeId: number | null;
  now: number;
}

export function buildEnvelope(eventType: EventType, data: Record<string, unknown>, now: number): EventEnvelope {
  return {
    event_id: crypto.randomUUID(),
    event_type: eventType,
    schema_version: 1,
    timestamp: new Date(now).toISOString(),
    source: 'cms',
    data,
  };
}

/**
 * Writes one outbox row per endpoint that subscribes to the event, inside the caller's
 * transaction. Disabled endpoints get their rows too: the worker keeps them back while the endpoint
 * is disabled and sends them, in order, once it is enabled again, so a 410 or a pause loses nothing. The body is serialized here, once: the worker signs and sends these exact bytes,
 * and a replay sends them again with the same `event_id`. Returns the number of rows written.
 */
export async function enqueueEvent(strapi: Core.Strapi, trx: Knex, options: EnqueueOptions): Promise<number> {
  const endpoints = (await trx(TABLES.endpoint).select('*')).map(parseEndpointRow);
  const matching = endpoints.filter(
    (endpoint) =>
      (endpoint.event_types.length === 0 || endpoint.event_types.includes(options.eventType)) &&
      (options.contentType === null || endpoint.content_types.length === 0 || endpoint.content_types.includes(options.contentType)),
  );
  if (matching.length === 0) {
    return 0;
  }

  const envelope = buildEnvelope(options.eventType, options.data, options.now);
  const body = JSON.stringify(envelope);
  const orderingKey = options.contentId !== null ? `c:${options.contentId}:${options.locale ?? ''}` : `s:${String(options.data.skill_id ?? envelope.event_id)}`;

  await trx(TABLES.outbox).insert(
    matching.map((endpoint) => ({
      event_id: envelope.event_id,
      event_type: options.eventType,
      endpoint_id: endpoint.id,
      change_id: options.changeId,
      content_id: options.contentId,
      locale: options.locale,
      ordering_key: orderingKey,
      metadata_version: options.metadataVersion,
      body,
      status: 'pending',
      attempts: 0,
      next_attempt_ms: options.now,
      created_ms: options.now,
    })),
  );
  strapi.log.debug(`[skill-mapping] queued ${options.eventType} event_id=${envelope.event_id} endpoints=${matching.length}`);
  return matching.length;
}

