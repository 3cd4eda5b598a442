import { createPostgresDatabase, postgresEnabled } from './postgres';

export interface DialectTarget {
  name: 'sqlite' | 'postgres';
  /** Extra environment for startConnector: DATABASE_URL of a fresh PostgreSQL database, or nothing. */
  env(): Record<string, string>;
}

/**
 * Runs a suite on SQLite and, when TEST_DATABASE_URL is set, again on a PostgreSQL database created
 * for it and dropped afterwards.
 */
export function describeEachDialect(suite: string, body: (target: DialectTarget) => void): void {
  describe(`${suite} (sqlite)`, () => body({ name: 'sqlite', env: () => ({}) }));

  if (!postgresEnabled()) {
    // eslint-disable-next-line no-console
    console.log(`skipping PostgreSQL variant of ${suite}: TEST_DATABASE_URL is unset`);
    return;
  }
  describe(`${suite} (postgres)`, () => {
    let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
    beforeAll(async () => {
      database = await createPostgresDatabase(suite.replace(/\W+/g, '_').toLowerCase());
    });
    afterAll(async () => {
      await database?.drop();
    });
    // An inner block, so the suite's own afterAll (closing its pools) runs before the drop.
    describe('on a fresh database', () => body({ name: 'postgres', env: () => ({ DATABASE_URL: database!.url }) }));
  });
}
