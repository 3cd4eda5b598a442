import path from 'node:path';
import { openDb } from '../src/db/connection';
import { migrateToLatest } from '../src/db/migrations';
import { tempDir } from './helpers/connector';
import { signedRequest, SKILLS, TEST_SECRET, tagUpdated } from './helpers/events';
import { createPostgresDatabase, postgresEnabled } from './helpers/postgres';
import fs from 'node:fs';
import { runCli, type ServeProcess, startServe } from './helpers/process';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function postAll(urls: string[], events: Array<ReturnType<typeof tagUpdated>>): Promise<number[]> {
  const statuses: number[] = [];
  // Eight requests in flight at a time, alternating between the given servers.
  for (let start = 0; start < events.length; start += 8) {
    const batch = events.slice(start, start + 8).map(async (event, index) => {
      const request = signedRequest(event);
      const response = await fetch(`${urls[(start + index) % urls.length]}/events`, { method: 'POST', body: request.body, headers: request.headers });
      return response.status;
    });
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

async function expectExactlyOnce(databaseUrl: string, events: Array<ReturnType<typeof tagUpdated>>) {
  const db = openDb(databaseUrl);
  try {
    await waitFor(async () => {
      const pending = await db.kysely.selectFrom('inbox').select('id').where('status', '=', 'pending').execute();
      return pending.length === 0;
    });
    const inbox = await db.kysely.selectFrom('inbox').select(['event_id', 'status']).execute();
    expect(inbox).toHaveLength(events.length);
    expect(inbox.every((row) => row.status === 'applied')).toBe(true);

    const audits = await db.kysely.selectFrom('audit').select(['event_id']).where('action', '=', 'applied').execute();
    const perEvent = new Map<string, number>();
    for (const row of audits) perEvent.set(row.event_id!, (perEvent.get(row.event_id!) ?? 0) + 1);
    expect(perEvent.size).toBe(events.length);
    expect([...perEvent.values()].every((count) => count === 1)).toBe(true);

    const feed = await db.kysely.selectFrom('change_feed').select('seq').execute();
    expect(feed).toHaveLength(events.length);
  } finally {
    await db.close();
  }
}

const burst = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => tagUpdated(`${prefix}-${index}`, 1, [{ skill_id: SKILLS[index % SKILLS.length]! }]));

describe('one serve per SQLite file', () => {
  test('a second serve fails fast and the lock goes with the first', async () => {
    const databaseUrl = path.join(tempDir('lock'), 'connector.db');
    const env = { DATABASE_URL: databaseUrl, WEBHOOK_SECRETS: TEST_SECRET, RECONCILE_INTERVAL_MS: '0', RECONCILE_FULL_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' };
    const first = await startServe(env);
    try {
      const second = runCli(['serve'], { ...env, HOST: '127.0.0.1', PORT: '0' });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`DATABASE_LOCKED: Another skill-connector serve (pid ${first.child.pid})`);
      expect(second.stderr).toContain(databaseUrl);
      // One-shot commands still run beside serve.
      expect(runCli(['keys', 'create', '--scope', 'admin'], env).status).toBe(0);
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
    expect(fs.existsSync(`${databaseUrl}.serve.lock`)).toBe(false);
  });
});

describe('process faults', () => {
  test.each<[string, Record<string, string>]>([
    ['while applying', {}],
    ['before any apply', { APPLY_ENABLED: 'false' }],
  ])('SIGKILL after 202 %s loses nothing', async (_name, firstEnv) => {
    const databaseUrl = path.join(tempDir('kill'), 'connector.db');
    const env = { DATABASE_URL: databaseUrl, WEBHOOK_SECRETS: TEST_SECRET };
    const events = burst(150, 'kill');

    const first = await startServe({ ...env, ...firstEnv });
    const statuses = await postAll([first.url], events);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(statuses.every((status) => status === 202)).toBe(true);

    const db = openDb(databaseUrl);
    const pendingAfterKill = await db.kysely.selectFrom('inbox').select('id').where('status', '=', 'pending').execute();
    await db.close();
    if (firstEnv.APPLY_ENABLED === 'false') expect(pendingAfterKill).toHaveLength(events.length);

    const second = await startServe(env);
    try {
      await expectExactlyOnce(databaseUrl, events);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});

(postgresEnabled() ? describe : describe.skip)('two processes on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const servers: ServeProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase('two_processes');
    // Migrate once up front; both processes also run migrations at start and must agree.
    const db = openDb(database!.url);
    await migrateToLatest(db.kysely, db.dialect);
    await db.close();
  });

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database?.drop();
  });

  test('burst shared by two processes applies once', async () => {
    const env = { DATABASE_URL: database!.url, WEBHOOK_SECRETS: TEST_SECRET };
    servers.push(await startServe(env), await startServe(env));
    const events = burst(400, 'pair');
    // Every event is sent to both processes, so each one races for the same rows.
    const statuses = await postAll(
      servers.map((server) => server.url),
      events.flatMap((event) => [event, event]),
    );
    expect(statuses.filter((status) => status === 202)).toHaveLength(400);
    expect(statuses.filter((status) => status === 200)).toHaveLength(400);
    await expectExactlyOnce(database!.url, events);

    // Log lines are written asynchronously, so give the last ones a moment to arrive.
    const appliedBy = () => servers.map((server) => server.output.filter((line) => line.includes('"event applied"')).length);
    await waitFor(async () => appliedBy()[0]! + appliedBy()[1]! >= 400, 10_000);
    expect(appliedBy()[0]! + appliedBy()[1]!).toBe(400);
  });
});

if (!postgresEnabled()) {
  // eslint-disable-next-line no-console
  console.log('skipping two processes on one PostgreSQL: TEST_DATABASE_URL is unset');
}
