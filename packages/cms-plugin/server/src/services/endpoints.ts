import type { Core } from '@strapi/strapi';
import { TABLES, toIso, toJsonColumn } from '../lib/db';
import { badRequest, notFound } from '../lib/errors';
import { checkEndpointUrl } from '../lib/url-policy';
import { getPluginConfig } from './plugin-config';
import { parseEndpointRow, type EndpointRow } from './shared-rows';
import { encryptSecret, endpointSecrets, newSecret } from './secrets';
import { buildEnvelope } from './outbox';
import { sendSigned } from './worker';
import { findTaggedTypes } from './recorder';

const EVENT_TYPES = ['content.tag.updated', 'content.tag.deprecated', 'content.deleted', 'skill.updated', 'skill.deprecated'];
const HOUR_MS = 3_600_000;
/** The url column is a Strapi `string`, varchar(255) on PostgreSQL. */
const URL_MAX_LENGTH = 255;

export function toEndpoint(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    event_types: row.event_types,
    content_types: row.content_types,
    include_drafts: row.include_drafts,
    enabled: row.enabled,
    secret_hint: row.secret_hint,
    flagged_reason: row.flagged_reason,
    previous_secret_expires_at: row.previous_secret_expires_ms && row.previous_secret_expires_ms > Date.now() ? toIso(row.previous_secret_expires_ms) : null,
    created_at: row.created_at instanceof Date ? row.created_at.toISOString() : toIso(row.created_at),
    updated_at: row.updated_at instanceof Date ? row.updated_at.toISOString() : toIso(row.updated_at),
  };
}

async function validateInput(strapi: Core.Strapi, body: Record<string, any>) {
  const config = getPluginConfig(strapi);
  const url = await checkEndpointUrl(body.url, config.allowedHosts);
  if (url.href.length > URL_MAX_LENGTH) {
    // Only the origin goes in the details: the rest of the URL may carry a receiver's token.
    throw badRequest('ENDPOINT_URL_TOO_LONG', `the endpoint URL has ${url.href.length} characters; the limit is ${URL_MAX_LENGTH}, use a shorter path or query.`, {
      value: url.origin,
    });
  }

  const eventTypes = body.event_types ?? [];
  if (!Array.isArray(eventTypes) || eventTypes.some((type) => !EVENT_TYPES.includes(type))) {
    throw badRequest('ENDPOINT_EVENT_TYPES_INVALID', `event_types ${JSON.stringify(eventTypes)} is invalid; use a list of ${EVENT_TYPES.join(', ')} (empty = all).`, {
      value: eventTypes,
    });
  }
  const known = [...findTaggedTypes(strapi).keys()];
  const contentTypes = body.content_types ?? [];
  if (!Array.isArray(contentTypes) || contentTypes.some((uid) => !known.includes(uid))) {
    throw badRequest('ENDPOINT_CONTENT_TYPES_INVALID', `content_types ${JSON.stringify(contentTypes)} is invalid; use content types with a skill-tags field: ${known.join(', ')} (empty = all).`, {
      value: contentTypes,
    });
  }
  return {
    url: url.href,
    event_types: toJsonColumn(eventTypes),
    content_types: toJsonColumn(contentTypes),
    // NOTE: draft subscriptions are stored and shown but no draft events are emitted yet.
    include_drafts: body.include_drafts === true,
    enabled: body.enabled !== false,
  };
}

async function load(strapi: Core.Strapi, id: unknown): Promise<EndpointRow> {
  const row = await strapi.db.connection(TABLES.endpoint).where({ id: Number(id) }).first();
  if (!row) throw notFound('ENDPOINT_NOT_FOUND', `endpoint ${String(id)} does not exist; list endpoints to find its id.`, { value: String(id) });
  return parseEndpointRow(row);
}

export async function listEndpoints(strapi: Core.Strapi) {
  const rows = await strapi.db.connection(TABLES.endpoint).select('*').orderBy('id');
  return { results: rows.map((row: any) => toEndpoint(parseEndpointRow(row))) };
}

/**
 * Checks a secret given by deploy tooling: the Standard Webhooks form `whsec_` + base64 of 24 to 64
 * random bytes. The message never repeats the value.
 */
function givenSecret(value: unknown): { secret: string; hint: string } {
  const text = typeof value === 'string' ? value : '';
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(text);
  const bytes = match ? Buffer.from(match[1]!, 'base64').length : 0;
  if (bytes < 24 || bytes > 64) {
    throw badRequest('ENDPOINT_SECRET_INVALID', 'secret is invalid: give "whsec_" followed by the base64 of 24 to 64 random bytes, or leave it out to have one generated.');
  }
  return { secret: text, hint: text.slice(-4) };
}

export async function createEndpoint(strapi: Core.Strapi, body: Record<string, any>) {
  const values = await validateInput(strapi, body);
  const { secret, hint } = body.secret === undefined || body.secret === null ? newSecret() : givenSecret(body.secret);
  const now = new Date();
  const inserted = await strapi.db.connection(TABLES.endpoint).insert(
    { ...values, secret_encrypted: encryptSecret(strapi, secret), secret_hint: hint, created_at: now, updated_at: now },
    ['id'],
  );
  const id = typeof inserted[0] === 'object' ? inserted[0].id : inserted[0];
  // Only the origin is logged: a query string may carry a receiver's own token.
  strapi.log.info(`[skill-mapping] endpoint created id=${id} origin=${new URL(values.url).origin}`);
  return { endpoint: toEndpoint(await load(strapi, id)), secret };
}

export async function updateEndpoint(strapi: Core.Strapi, id: unknown, body: Record<string, any>) {
  const current = await load(strapi, id);
  const values = await validateInput(strapi, { ...toEndpoint(current), ...body });
  // Enabling again clears the flag set by a 410 or an auth failure.
  const flagged = values.enabled && !current.enabled ? { flagged_reason: null } : {};
  await strapi.db.connection(TABLES.endpoint).where({ id: current.id }).update({ ...values, ...flagged, updated_at: new Date() });
  if (values.enabled && !current.enabled) {
    // Events held while the endpoint was disabled leave now instead of waiting for their backoff.
    await strapi.db.connection(TABLES.outbox).where({ endpoint_id: current.id }).whereIn('status', ['pending', 'retrying']).update({ next_attempt_ms: Date.now() });
  }
  return { endpoint: toEndpoint(await load(strapi, current.id)) };
}

export async function deleteEndpoint(strapi: Core.Strapi, id: unknown) {
  const current = await load(strapi, id);
  await strapi.db.transaction(async ({ trx }) => {
    await trx(TABLES.delivery).where({ endpoint_id: current.id }).del();
    await trx(TABLES.outbox).where({ endpoint_id: current.id }).del();
    await trx(TABLES.endpoint).where({ id: current.id }).del();
  });
  strapi.log.info(`[skill-mapping] endpoint deleted id=${current.id}`);
  return { id: current.id };
}

export async function rotateSecret(strapi: Core.Strapi, id: unknown, body: Record<string, any>) {
  const current = await load(strapi, id);
  const hours = body.rotation_window_hours === undefined ? 24 : Number(body.rotation_window_hours);
  if (!Number.isFinite(hours) || hours < 0 || hours > 720) {
    throw badRequest('ROTATION_WINDOW_INVALID', `rotation_window_hours "${String(body.rotation_window_hours)}" is invalid; use 0 to 720 hours.`, {
      value: body.rotation_window_hours,
    });
  }
  const { secret, hint } = newSecret();
  const expires = Date.now() + hours * HOUR_MS;
  await strapi.db.connection(TABLES.endpoint).where({ id: current.id }).update({
    secret_encrypted: encryptSecret(strapi, secret),
    secret_hint: hint,
    previous_secret_encrypted: current.secret_encrypted,
    previous_secret_expires_ms: expires,
    updated_at: new Date(),
  });
  strapi.log.info(`[skill-mapping] endpoint secret rotated id=${current.id} window_hours=${hours}`);
  return { secret, previous_secret_expires_at: new Date(expires).toISOString() };
}

/** Sends `endpoint.test` right away, outside the outbox, and returns the receiver's status and response. */
export async function testEndpoint(strapi: Core.Strapi, id: unknown) {
  const endpoint = await load(strapi, id);
  const envelope = buildEnvelope('endpoint.test', {}, Date.now());
  const body = Buffer.from(JSON.stringify(envelope), 'utf8');
  const result = await sendSigned(endpoint, endpointSecrets(strapi, endpoint), { id: envelope.event_id, type: envelope.event_type, time: envelope.timestamp }, body, getPluginConfig(strapi).requestTimeoutMs, getPluginConfig(strapi).allowedHosts);
  return {
    status: result.statusCode,
    latency_ms: result.latencyMs,
    response_excerpt: result.excerpt,
    ...(result.error ? { error: result.error } : {}),
  };
}
