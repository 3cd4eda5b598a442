import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { openDb } from '../src/db/connection';
import { createPostgresDatabase, postgresEnabled } from './helpers/postgres';

async function terminateBackends(baseUrl: string, database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const result = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

(postgresEnabled() ? describe : describe.skip)('PostgreSQL connections ended by the server', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;

  beforeAll(async () => {
    database = await createPostgresDatabase('connection_loss');
  });

  afterAll(async () => {
    await database?.drop();
  });

  test('a connection terminated inside a transaction fails the transaction, not the process', async () => {
    const db = openDb(database!.url, { poolMax: 2 });
    const name = new URL(database!.url).pathname.slice(1);
    try {
      await sql`SELECT 1`.execute(db.kysely);
      const transaction = db.kysely.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        expect(await terminateBackends(process.env.TEST_DATABASE_URL!, name)).toBeGreaterThan(0);
        // The server's 57P01 notice reaches the checked-out client while no query runs on it.
        await sleep(300);
        await sql`SELECT 1`.execute(trx);
      });
      await expect(transaction).rejects.toThrow();

      const after = await sql<{ one: number }>`SELECT 1 AS one`.execute(db.kysely);
      expect(after.rows[0]?.one).toBe(1);

      // Idle clients of a pool whose database is terminated must not crash the process either.
      expect(await terminateBackends(process.env.TEST_DATABASE_URL!, name)).toBeGreaterThan(0);
      await sleep(300);
    } finally {
      await db.close();
    }
  });
});

if (!postgresEnabled()) {
  // eslint-disable-next-line no-console
  console.log('skipping PostgreSQL connection loss suite: TEST_DATABASE_URL is unset');
}
