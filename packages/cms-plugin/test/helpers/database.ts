import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';

/**
 * One database per suite: a temporary SQLite file, or, when TEST_DATABASE_URL is set, a fresh
 * PostgreSQL database created on that server and dropped afterwards.
 */
export interface TestDatabase {
  env: Record<string, string>;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export const postgresUrl = process.env.TEST_DATABASE_URL;

/** Skips a PostgreSQL-only suite with one line, or fails it when CI requires PostgreSQL. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresUrl) {
    describe(name, body);
    return;
  }
  if (process.env.SKILL_MAPPING_REQUIRE_POSTGRES === '1') {
    describe(name, () => {
      it('needs TEST_DATABASE_URL', () => {
        throw new Error('SKILL_MAPPING_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is unset: set it to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/test.');
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.log(`skipped "${name}": set TEST_DATABASE_URL to run it against PostgreSQL`);
  describe.skip(name, body);
}

async function adminQuery(sql: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Client } = require('pg');
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(suite: string, forcePostgres = false): Promise<TestDatabase> {
  const suffix = crypto.randomBytes(4).toString('hex');
  if (postgresUrl || forcePostgres) {
    const name = `sm_plugin_${suite.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${suffix}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    return {
      kind: 'postgres',
      env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
      drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sm-plugin-${suite}-`));
  return {
    kind: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'data.db') },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
