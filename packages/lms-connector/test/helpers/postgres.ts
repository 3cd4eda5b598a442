import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates a database of its own for a suite on the server in TEST_DATABASE_URL, or returns undefined
 * (after printing one line) when the variable is unset. With SKILL_MAPPING_REQUIRE_POSTGRES=1 an unset
 * variable is an error, so CI cannot skip these suites by accident.
 */
export async function createPostgresDatabase(suite: string): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    if (process.env.SKILL_MAPPING_REQUIRE_POSTGRES === '1') {
      throw new Error(`TEST_DATABASE_URL is unset but SKILL_MAPPING_REQUIRE_POSTGRES=1; set it, e.g. postgres://postgres@127.0.0.1:5432/test`);
    }
    // eslint-disable-next-line no-console
    console.log(`skipping PostgreSQL suite ${suite}: TEST_DATABASE_URL is unset`);
    return undefined;
  }

  const name = `sm_connector_${suite}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export const postgresEnabled = () => Boolean(process.env.TEST_DATABASE_URL) || process.env.SKILL_MAPPING_REQUIRE_POSTGRES === '1';
