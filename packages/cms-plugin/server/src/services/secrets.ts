import type { Core } from '@strapi/strapi';
import { conflict } from '../lib/errors';
import { generateWebhookSecret } from '../lib/webhook';
import type { EndpointRow } from './shared-rows';

/**
 * Endpoint secrets are encrypted at rest with Strapi's `admin.secrets.encryptionKey` through the
 * admin encryption service (AES-256-GCM). Without that key the plugin does not store a secret and raises an error.
 */
function encryption(strapi: Core.Strapi) {
  return strapi.service('admin::encryption') as { encrypt(value: string): string | null; decrypt(value: string): string | null };
}

export function encryptSecret(strapi: Core.Strapi, secret: string): string {
  const encrypted = encryption(strapi).encrypt(secret);
  if (!encrypted) {
    throw new Error('Cannot store the webhook secret: admin.secrets.encryptionKey is not set. Set ENCRYPTION_KEY (config/admin) and restart.');
  }
  return encrypted;
}

export function decryptSecret(strapi: Core.Strapi, encrypted: string | null): string | null {
  if (!encrypted) return null;
  return encryption(strapi).decrypt(encrypted);
}

export function newSecret(): { secret: string; hint: string } {
  const secret = generateWebhookSecret();
  return { secret, hint: secret.slice(-4) };
}

function tryDecrypt(strapi: Core.Strapi, encrypted: string | null): string | null {
  try {
    return decryptSecret(strapi, encrypted);
  } catch {
    return null;
  }
}

/**
 * Returns the current secret, plus the previous one while its rotation window is open. Throws
 * ENDPOINT_SECRET_UNREADABLE (409) when the current secret cannot be decrypted, which happens when
 * the encryption key changed after the secret was stored.
 */
export function endpointSecrets(strapi: Core.Strapi, endpoint: EndpointRow): string[] {
  const current = tryDecrypt(strapi, endpoint.secret_encrypted);
  if (!current) {
    throw conflict(
      'ENDPOINT_SECRET_UNREADABLE',
      `the secret of endpoint ${endpoint.id} cannot be decrypted (admin.secrets.encryptionKey changed?); restore the previous ENCRYPTION_KEY or rotate the endpoint secret and give the new one to the receiver.`,
      { value: endpoint.id },
    );
  }
  const secrets = [current];
  if (endpoint.previous_secret_expires_ms !== null && endpoint.previous_secret_expires_ms > Date.now()) {
    const previous = tryDecrypt(strapi, endpoint.previous_secret_encrypted);
    if (previous) secrets.push(previous);
  }
  return secrets;
}
