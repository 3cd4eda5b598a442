import { openDb } from '../src/db/connection';
import { appendChange, lockFeed } from '../src/state/feed';
import { describeEachDialect } from './helpers/dialects';
import { leakedSecrets, startConnector, type TestConnector } from './helpers/connector';

const SAME_TIME = '2026-08-01T12:00:00.000Z';

describeEachDialect('change feed', (target) => {
  let t: TestConnector;

  beforeAll(async () => {
    t = await startConnector(target.env(), { workers: false });
  });

  afterAll(async () => {
    await t.close();
    expect(leakedSecrets()).toEqual([]);
  });

  async function readAll(limit: number, start?: string) {
    const seen: string[] = [];
    let cursor = start;
    for (let page = 0; page < 100; page += 1) {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      const response = await t.get(`/content/changes?${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { cursor: string; has_more: boolean; items: Array<{ content_id: string }> };
      seen.push(...body.items.map((item) => item.content_id));
      cursor = body.cursor;
      if (!body.has_more) break;
    }
    return { seen, cursor: cursor! };
  }

  test('equal timestamps page without loss', async () => {
    await t.connector.db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx);
      for (let index = 1; index <= 5; index += 1) {
        await appendChange(trx, { content_id: `same-${index}`, locale: '', op: 'create', metadata_version: 1, changed_at: SAME_TIME });
      }
    });
    const expected = ['same-1', 'same-2', 'same-3', 'same-4', 'same-5'];
    expect((await readAll(1)).seen).toEqual(expected);
    expect((await readAll(2)).seen).toEqual(expected);
    expect((await readAll(500, SAME_TIME)).seen).toEqual(expected);
  });

  test('change committed late is still delivered', async () => {
    const { cursor: before } = await readAll(500);

    // Writer A takes a sequence number and keeps its transaction open, and writer B starts meanwhile.
    // The reader must not move past A's number before A commits.
    let releaseA!: () => void;
    const aHolding = new Promise<void>((resolve) => (releaseA = resolve));
    let aTookSequence!: () => void;
    const aStarted = new Promise<void>((resolve) => (aTookSequence = resolve));
    const order: string[] = [];

    const writerA = t.connector.db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx);
      const seq = await appendChange(trx, { content_id: 'late-a', locale: '', op: 'update', metadata_version: 2, changed_at: new Date().toISOString() });
      aTookSequence();
      await aHolding;
      order.push('a-commit');
      return seq;
    });
    await aStarted;

    const writerB = t.connector.db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx);
      const seq = await appendChange(trx, { content_id: 'late-b', locale: '', op: 'update', metadata_version: 2, changed_at: new Date().toISOString() });
      order.push('b-commit');
      return seq;
    });

    // A separate connection reads while A is open (WAL on SQLite, MVCC on PostgreSQL).
    const reader = openDb(t.connector.config.DATABASE_URL);
    try {
      const during = await reader.kysely.selectFrom('change_feed').select('content_id').where('content_id', 'like', 'late-%').execute();
      expect(during).toEqual([]);
    } finally {
      await reader.close();
    }
    const pageDuring = await readAllWhileOpen();
    expect(pageDuring).toEqual([]);

    releaseA();
    const [seqA, seqB] = await Promise.all([writerA, writerB]);
    expect(order).toEqual(['a-commit', 'b-commit']);
    expect(seqA).toBeLessThan(seqB);
    expect((await readAll(1, before)).seen).toEqual(['late-a', 'late-b']);

    async function readAllWhileOpen() {
      if (target.name === 'sqlite') return []; // the HTTP reader shares the writer's connection on SQLite
      return (await readAll(500, before)).seen;
    }
  });

  test('expired cursor is 410', async () => {
    await t.connector.db.kysely.updateTable('feed_counter').set({ pruned_through: 3, pruned_before: SAME_TIME }).where('id', '=', 1).execute();
    const { encodeCursor } = await import('@skill-mapping/shared-schema');
    const response = await t.get(`/content/changes?cursor=${encodeCursor({ t: SAME_TIME, s: 1 })}`);
    expect(response.status).toBe(410);
    expect(((await response.json()) as { code: string }).code).toBe('CURSOR_EXPIRED');
    const old = await t.get(`/content/changes?cursor=2020-01-01T00:00:00Z`);
    expect(old.status).toBe(410);
    await t.connector.db.kysely.updateTable('feed_counter').set({ pruned_through: 0, pruned_before: null }).where('id', '=', 1).execute();
  });

  test('cursor past the head is 410', async () => {
    const { encodeCursor } = await import('@skill-mapping/shared-schema');
    const { cursor: head } = await readAll(500);
    expect((await t.get(`/content/changes?cursor=${head}`)).status).toBe(200);

    const counter = await t.connector.db.kysely.selectFrom('feed_counter').select('last_seq').where('id', '=', 1).executeTakeFirstOrThrow();
    const ahead = await t.get(`/content/changes?cursor=${encodeCursor({ t: SAME_TIME, s: counter.last_seq + 5 })}`);
    expect(ahead.status).toBe(410);
    const problem = (await ahead.json()) as { code: string; detail: string };
    expect(problem.code).toBe('CURSOR_EXPIRED');
    expect(problem.detail).toContain(`head ${counter.last_seq}`);
  });
});
