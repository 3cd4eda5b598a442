'use strict';

const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

/**
 * Returns the PostgreSQL server URL for the suites that need one, or null (after printing one line)
 * when TEST_DATABASE_URL is unset. With SKILL_MAPPING_REQUIRE_POSTGRES=1 an unset variable is an error,
 * so CI cannot skip these suites by accident.
 */
function postgresServerUrl(suite) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.SKILL_MAPPING_REQUIRE_POSTGRES === '1') {
    throw new Error('TEST_DATABASE_URL is unset but SKILL_MAPPING_REQUIRE_POSTGRES=1; set it, e.g. postgres://postgres@127.0.0.1:5432/test');
  }
  process.stdout.write(`${suite}: PostgreSQL variant skipped because TEST_DATABASE_URL is unset\n`);
  return null;
}

/** Creates a database of its own for one suite and returns its URL and a function that drops it. */
async function createDatabase(serverUrl, suite) {
  const name = `sm_e2e_${suite}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

module.exports = { postgresServerUrl, createDatabase };
