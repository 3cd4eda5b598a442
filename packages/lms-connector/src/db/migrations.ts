import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './connection';

// Migrations are code, keyed by a sortable name, and written once for both databases: the few
// type differences (identity columns, 64-bit integers) go through `types(dialect)`.

function types(dialect: Dialect) {
  return {
    identity: dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const),
    bigint: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
    real: dialect === 'postgres' ? ('double precision' as const) : ('real' as const),
  };
}

function initial(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('inbox')
        .addColumn('id', t.identity, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('event_timestamp', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('applied_at', 'text')
        .execute();
      await db.schema.createIndex('inbox_status_id').on('inbox').columns(['status', 'id']).execute();

      await db.schema
        .createTable('content_state')
        .addColumn('content_id', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('metadata_version', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', 'text')
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('deleted_reason', 'text')
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .addColumn('extra', 'text')
        .addPrimaryKeyConstraint('content_state_pk', ['content_id', 'locale'])
        .execute();

      await db.schema
        .createTable('content_tag')
        .addColumn('content_id', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('skill_id', 'text', (c) => c.notNull())
        .addColumn('skill_name', 'text', (c) => c.notNull())
        .addColumn('confidence', t.real, (c) => c.notNull())
        .addColumn('proficiency', 'text')
        .addColumn('derived_proficiency', 'text')
        .addColumn('source', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('superseded_by', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('content_tag_pk', ['content_id', 'locale', 'skill_id'])
        .execute();
      await db.schema.createIndex('content_tag_skill').on('content_tag').columns(['skill_id', 'status']).execute();

      await db.schema
        .createTable('skill')
        .addColumn('skill_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('alt_names', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('description', 'text')
        .addColumn('uri', 'text')
        .addColumn('framework', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('superseded_by', 'text')
        .addColumn('version', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('change_feed')
        .addColumn('seq', t.bigint, (c) => c.primaryKey())
        .addColumn('content_id', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('op', 'text', (c) => c.notNull())
        .addColumn('metadata_version', t.bigint, (c) => c.notNull())
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('change_feed_changed_at').on('change_feed').column('changed_at').execute();

      await db.schema
        .createTable('feed_counter')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('last_seq', t.bigint, (c) => c.notNull())
        .addColumn('pruned_through', t.bigint, (c) => c.notNull())
        .addColumn('pruned_before', 'text')
        .execute();
      await db.insertInto('feed_counter').values({ id: 1, last_seq: 0, pruned_through: 0 }).execute();

      await db.schema
        .createTable('audit')
        .addColumn('id', t.identity, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('locale', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_subject').on('audit').columns(['subject_type', 'subject_id']).execute();

      await db.schema
        .createTable('adapter_task')
        .addColumn('id', t.identity, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('subject_key', 'text', (c) => c.notNull().unique())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('generation', t.bigint, (c) => c.notNull().defaultTo(1))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('adapter_task_due')
        .on('adapter_task')
        .columns(['status', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('skill_mapping')
        .addColumn('skill_id', 'text', (c) => c.primaryKey())
        .addColumn('lms_competency_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('content_mapping')
        .addColumn('content_id', 'text', (c) => c.primaryKey())
        .addColumn('lms_course_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('content_mapping_course').on('content_mapping').column('lms_course_id').execute();

      await db.schema
        .createTable('api_key')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .execute();

      await db.schema
        .createTable('connector_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('reconcile_seen')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('content_id', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reconcile_seen_pk', ['run_id', 'content_id', 'locale'])
        .execute();

      await db.schema
        .createTable('reconcile_run')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('report', 'text')
        .addColumn('error', 'text')
        .execute();
    },
  };
}

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}

  async getMigrations() {
    return this.migrations;
  }
}

export function createMigrator(db: Kysely<any>, dialect: Dialect): Migrator {
  return new Migrator({
    db,
    provider: new StaticProvider(migrationsFor(dialect)),
    migrationTableName: 'connector_migration',
    migrationLockTableName: 'connector_migration_lock',
  });
}

/** Applies every pending migration; throws with the failing migration's name and error. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await createMigrator(db, dialect).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const name = failed ? ` ${failed.migrationName}` : '';
    throw new Error(`Migration${name} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** Returns the names of migrations not yet applied; empty when the schema is current. */
export async function pendingMigrations(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const migrations = await createMigrator(db, dialect).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

export { sql };
