import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './types';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Location of the data with any password removed, for logs and errors. */
  description: string;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_PATH = './data/connector.db';

// pg returns int8 as text because it may exceed 2^53; every 64-bit column here stays below 2^53 - 1
// (versions are bounded by the contract, sequences by row counts), so numbers are exact.
pg.types.setTypeParser(20, (value) => Number(value));

const SECRET_QUERY_PARAMETERS = new Set(['password', 'sslpassword']);

/** Returns the URL without its password, safe to log. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    // libpq and pg also take the password, and a client key's passphrase, as query parameters.
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_QUERY_PARAMETERS.has(name.toLowerCase())) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@').replace(/([?&](?:password|sslpassword)=)[^&]*/gi, '$1***');
  }
}

export function dialectOf(databaseUrl: string | undefined): Dialect {
  return databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
}

export function sqlitePath(databaseUrl: string | undefined): string {
  if (!databaseUrl) return DEFAULT_SQLITE_PATH;
  if (databaseUrl.startsWith('sqlite://')) return databaseUrl.slice('sqlite://'.length);
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length);
  if (databaseUrl.startsWith('file:')) return databaseUrl.slice('file:'.length);
  return databaseUrl;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Reuses prepared statements by SQL text. Kysely prepares every query anew, and preparing costs about
 * as much as running the small statements the connector uses. better-sqlite3 runs statements
 * synchronously, so one statement object is never used by two queries at once.
 */
function cachePreparedStatements(database: SqliteDatabase.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, SqliteDatabase.Statement>();
  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      // Queries with IN lists of varying length make distinct texts; start over rather than grow.
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      statement = prepare(source);
      cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}

/**
 * Opens the database named by `DATABASE_URL`: PostgreSQL for `postgres://`, otherwise SQLite at the
 * given path (default ./data/connector.db) in WAL mode.
 */
export function openDb(databaseUrl: string | undefined, options: { poolMax?: number } = {}): Db {
  if (dialectOf(databaseUrl) === 'postgres') {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolMax ?? 10 });
    // A client losing its connection (server restart, pg_terminate_backend, a dropped database) must
    // not crash the process: the pool reports idle clients, and a checked-out client between two
    // queries of a transaction emits on itself. The next query on that client fails and reports it.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      description: redactDatabaseUrl(databaseUrl!),
      close: () => kysely.destroy(),
    };
  }

  const file = sqlitePath(databaseUrl);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers run beside the one writer; synchronous=NORMAL keeps every committed transaction
  // across a process crash (only an OS crash or power loss can drop the last commits).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  cachePreparedStatements(database);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { kysely, dialect: 'sqlite', description: `sqlite:${path.resolve(file)}`, close: () => kysely.destroy() };
}
