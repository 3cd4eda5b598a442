import { openDb } from '../src/db/connection';
import { migrateToLatest, pendingMigrations } from '../src/db/migrations';

test('pending migrations reported until applied', async () => {
  const db = openDb(':memory:');
  try {
    expect(await pendingMigrations(db.kysely, db.dialect)).toEqual(['0001_initial']);
    expect(await migrateToLatest(db.kysely, db.dialect)).toEqual(['0001_initial']);
    expect(await pendingMigrations(db.kysely, db.dialect)).toEqual([]);
    expect(await migrateToLatest(db.kysely, db.dialect)).toEqual([]);
  } finally {
    await db.close();
  }
});
