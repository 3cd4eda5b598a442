import crypto from 'crypto';

// TODO: switch to signWebhook/generateWebhookSecret from @skill-mapping/shared-schema once that
// package is published in the repo; this follows the same Standard Webhooks 1.0 rules.

const SECRET_PREFIX = 'whsec_';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** Returns a new `whsec_` secret holding 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString('base64');
}

/** Returns the `webhook-signature` value: one `v1,<base64>` per secret, space separated. */
export function signWebhook(input: { secrets: string[]; id: string; timestamp: number; body: Buffer }): string {
  return input.secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
      const hmac = crypto.createHmac('sha256', key);
      hmac.update(`${input.id}.${input.timestamp}.`);
      hmac.update(input.body);
      return `v1,${hmac.digest('base64')}`;
    })
    .join(' ');
}
