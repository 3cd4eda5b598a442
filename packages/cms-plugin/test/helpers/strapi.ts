import path from 'path';
import type { Core } from '@strapi/strapi';
import { createTestDatabase, type TestDatabase } from './database';

export const appDir = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'strapi-app');

export interface BootedStrapi {
  strapi: Core.Strapi;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Delivery timings short enough for tests; each suite may override them. */
export const FAST_DELIVERY_ENV: Record<string, string> = {
  SKILL_MAPPING_RETRY_SCHEDULE: '0.2,0.4,0.8',
  SKILL_MAPPING_POLL_INTERVAL_MS: '100',
  SKILL_MAPPING_REQUEST_TIMEOUT_MS: '2000',
  SKILL_MAPPING_LEASE_MS: '5000',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};

/**
 * Boots the example app once for a suite, on its own database, with the HTTP server mounted but
 * not listening (supertest drives `strapi.server.httpServer`).
 */
export async function bootStrapi(suite: string, env: Record<string, string> = {}): Promise<BootedStrapi> {
  const database = await createTestDatabase(suite);
  Object.assign(process.env, { ...FAST_DELIVERY_ENV, ...database.env, ...env });
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createStrapi } = require('@strapi/strapi');
  const strapi: Core.Strapi = await createStrapi({
    appDir,
    distDir: path.join(appDir, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  }).load();
  await strapi.server.mount();
  return {
    strapi,
    database,
    async close() {
      await strapi.destroy();
      await database.drop();
    },
  };
}
