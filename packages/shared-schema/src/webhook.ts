import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Standard Webhooks 1.0: header names exactly as on the wire.
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const SECRET_LENGTH_BYTES = 32;

export type WebhookVerificationErrorCode = 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'TIMESTAMP_OUT_OF_TOLERANCE';

/** Every verification failure; receivers map it to 401 and return `code`. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type WebhookBody = Uint8Array | string;
export type WebhookSecrets = string | readonly string[];

function secretList(secrets: WebhookSecrets): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new TypeError('No webhook secret configured; set at least one whsec_ secret.');
  return list;
}

/** Decodes a `whsec_` secret into HMAC key bytes; the error never repeats the secret. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) {
    throw new TypeError('A webhook secret is empty or not base64; use a value made by generateWebhookSecret().');
  }
  return key;
}

function toBytes(body: WebhookBody): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest();
}

function unixSeconds(value: Date | number | string): string {
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  return String(value);
}

/** Returns a new random secret: `whsec_` followed by 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_LENGTH_BYTES).toString('base64');
}

export interface SignWebhookInput {
  /** One secret, or several during a rotation (one signature each). */
  secrets: WebhookSecrets;
  id: string;
  /** Unix seconds, or a Date. */
  timestamp: Date | number | string;
  /** The exact bytes that will be sent. */
  body: WebhookBody;
}

/** Returns the `webhook-signature` header value: one `v1,<base64>` per secret, space-separated. */
export function signWebhook({ secrets, id, timestamp, body }: SignWebhookInput): string {
  const seconds = unixSeconds(timestamp);
  const bytes = toBytes(body);
  return secretList(secrets)
    .map((secret) => `${SIGNATURE_VERSION},${hmac(secretKey(secret), id, seconds, bytes).toString('base64')}`)
    .join(' ');
}

export type WebhookHeaders = Record<string, string | readonly string[] | undefined> | { get(name: string): string | null };

function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }

  const record = headers as Record<string, string | readonly string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

export interface VerifyWebhookInput {
  secrets: WebhookSecrets;
  headers: WebhookHeaders;
  /** The raw body bytes as received, before any decoding. */
  body: WebhookBody;
  /** The verifier's clock: a Date or unix seconds. Defaults to the current time. */
  now?: Date | number;
  toleranceSeconds?: number;
}

/**
 * Checks a delivery's Standard Webhooks signature and timestamp, and throws WebhookVerificationError
 * when either fails. It checks signatures only: comparing `webhook-id` with the body's `event_id` is the
 * receiver's job, after it has parsed the verified body.
 */
export function verifyWebhook({
  secrets,
  headers,
  body,
  now = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
}: VerifyWebhookInput): void {
  const id = readHeader(headers, WEBHOOK_ID_HEADER);
  const timestamp = readHeader(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatures = readHeader(headers, WEBHOOK_SIGNATURE_HEADER);

  for (const [name, value] of [
    [WEBHOOK_ID_HEADER, id],
    [WEBHOOK_TIMESTAMP_HEADER, timestamp],
    [WEBHOOK_SIGNATURE_HEADER, signatures],
  ] as const) {
    if (value === undefined || value.trim() === '') {
      throw new WebhookVerificationError('SIGNATURE_MISSING', `Header ${name} is missing or empty; send all three Standard Webhooks headers.`);
    }
  }

  const sentAt = Number(timestamp);
  if (!/^\d+$/.test(timestamp!.trim()) || !Number.isSafeInteger(sentAt)) {
    throw new WebhookVerificationError(
      'TIMESTAMP_OUT_OF_TOLERANCE',
      `Header ${WEBHOOK_TIMESTAMP_HEADER} "${timestamp!.slice(0, 40)}" is not an integer number of unix seconds.`,
    );
  }

  const nowSeconds = now instanceof Date ? Math.floor(now.getTime() / 1000) : Math.floor(now);
  const skew = nowSeconds - sentAt;
  if (Math.abs(skew) > toleranceSeconds) {
    throw new WebhookVerificationError(
      'TIMESTAMP_OUT_OF_TOLERANCE',
      `Header ${WEBHOOK_TIMESTAMP_HEADER} is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'ahead'}; the tolerance is ${toleranceSeconds} s. Check both clocks (NTP).`,
    );
  }

  const bytes = toBytes(body);
  const expected = secretList(secrets).map((secret) => hmac(secretKey(secret), id!, timestamp!.trim(), bytes));
  const offered = signatures!
    .split(' ')
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION},`))
    .map((part) => Buffer.from(part.slice(SIGNATURE_VERSION.length + 1), 'base64'));

  // Compare every pair in constant time; the length check only skips malformed signatures.
  const matched = offered.some((candidate) =>
    expected.some((digest) => candidate.length === digest.length && timingSafeEqual(candidate, digest)),
  );
  if (!matched) {
    throw new WebhookVerificationError(
      'SIGNATURE_INVALID',
      `No ${SIGNATURE_VERSION} signature in ${WEBHOOK_SIGNATURE_HEADER} matches the body; check that both sides use the same secret and that the raw body is verified unchanged.`,
    );
  }
}
