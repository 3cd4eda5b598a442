import { encodeCursor } from '@skill-mapping/shared-schema';
import pino from 'pino';
import { pruneRetention } from '../src/state/retention';
import { appendChange, lockFeed } from '../src/state/feed';
import { leakedSecrets, startConnector, type TestConnector } from './helpers/connector';
import { signedRequest, SKILLS, tagUpdated } from './helpers/events';

let t: TestConnector;

beforeAll(async () => {
  t = await startConnector();
});

afterAll(async () => {
  await t.close();
  expect(leakedSecrets()).toEqual([]);
});

test('retention prunes old rows, keeps audit', async () => {
  const db = t.connector.db.kysely;
  const old = new Date(Date.now() - 100 * 24 * 60 * 60 * 1000).toISOString();
  await db.transaction().execute(async (trx) => {
    await lockFeed(trx);
    await appendChange(trx, { content_id: 'old-1', locale: '', op: 'create', metadata_version: 1, changed_at: old });
    await appendChange(trx, { content_id: 'old-2', locale: '', op: 'update', metadata_version: 2, changed_at: old });
  });
  await t.post('/events', signedRequest(tagUpdated('new-1', 1, [{ skill_id: SKILLS[0]! }])));
  await t.drain();
  await db.updateTable('inbox').set({ received_at: old }).execute();
  const auditBefore = (await db.selectFrom('audit').select('id').execute()).length;

  await pruneRetention(t.connector.db, { inboxDays: 30, feedDays: 90 }, pino({ level: 'silent' }));

  expect(await db.selectFrom('inbox').select('id').execute()).toEqual([]);
  expect((await db.selectFrom('change_feed').select('content_id').execute()).map((row) => row.content_id)).toEqual(['new-1']);
  expect((await db.selectFrom('audit').select('id').execute()).length).toBe(auditBefore);

  const expired = await t.get(`/content/changes?cursor=${encodeCursor({ t: old, s: 1 })}`);
  expect(expired.status).toBe(410);
  const fromStart = (await (await t.get('/content/changes')).json()) as { items: Array<{ content_id: string }> };
  expect(fromStart.items.map((item) => item.content_id)).toEqual(['new-1']);
  const fromPruned = (await (await t.get(`/content/changes?cursor=${encodeCursor({ t: old, s: 2 })}`)).json()) as { items: Array<{ content_id: string }> };
  expect(fromPruned.items.map((item) => item.content_id)).toEqual(['new-1']);
});
