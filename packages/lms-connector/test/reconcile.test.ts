import { FakeCms } from './helpers/cms-server';
import { describeEachDialect } from './helpers/dialects';
import { SKILLS } from './helpers/events';
import { leakedSecrets, startConnector, type TestConnector } from './helpers/connector';

const tag = (index: number, confidence = 1) => ({ skill_id: SKILLS[index]!, skill_name: `Skill ${index}`, confidence });

describeEachDialect('reconciliation', (target) => {
  let cms: FakeCms;
  let t: TestConnector;

  beforeAll(async () => {
    cms = new FakeCms();
    await cms.start();
    for (let index = 0; index < 250; index += 1) {
      cms.put({ content_id: `item-${String(index).padStart(3, '0')}`, locale: null, title: `Item ${index}`, skill_tags: [tag(index % 5)], metadata_version: 1 }, 'create');
    }
    cms.skills = [{ skill_id: SKILLS[0]!, name: 'Python', alt_names: [], status: 'active', version: 3 }];
    t = await startConnector({ ...target.env(), CMS_URL: cms.url, CMS_API_TOKEN: cms.token, RECONCILE_RETRY_BASE_MS: '5' });
  });

  afterAll(async () => {
    await t.close();
    await cms.stop();
    expect(leakedSecrets()).toEqual([]);
  });

  const reconciler = () => t.connector.reconciler!;
  const stateOf = (id: string) => t.connector.db.kysely.selectFrom('content_state').selectAll().where('content_id', '=', id).executeTakeFirst();

  test('full run creates every item in growing pages', async () => {
    const report = await reconciler().run('full');
    expect(report.created).toBe(250);
    expect(report.items).toBe(250);
    expect(report.skills_updated).toBe(1);
    // One item first for the feed head, then the walk in growing pages.
    expect(cms.contentLimits).toEqual([1, 100, 200]);
    expect(cms.unauthorizedRequests).toBe(0);
    const skill = await t.connector.db.kysely.selectFrom('skill').selectAll().where('skill_id', '=', SKILLS[0]!).executeTakeFirstOrThrow();
    expect(skill.name).toBe('Python');
  });

  test('dry run reports drift without writing', async () => {
    await t.connector.db.kysely.updateTable('content_state').set({ title: 'edited behind the back' }).where('content_id', '=', 'item-001').execute();
    await t.connector.db.kysely.deleteFrom('content_tag').where('content_id', '=', 'item-002').execute();
    cms.items.delete('item-003|');
    cms.put({ content_id: 'item-004', locale: null, title: 'Item 4 renamed', skill_tags: [tag(1)], metadata_version: 2 });
    const feedBefore = await t.connector.db.kysely.selectFrom('change_feed').select('seq').execute();

    const report = await reconciler().run('full', { dryRun: true });
    expect(report).toEqual(expect.objectContaining({ dry_run: true, created: 0, updated: 3, drift: 3, deprecated: 1, unchanged: 246 }));
    expect((await stateOf('item-001'))!.title).toBe('edited behind the back');
    expect((await stateOf('item-003'))!.deleted).toBe(0);
    expect(await t.connector.db.kysely.selectFrom('change_feed').select('seq').execute()).toHaveLength(feedBefore.length);
  });

  test('full run repairs drift whatever the versions say', async () => {
    const report = await reconciler().run('full');
    // item-001 and item-002 drifted at an equal version, item-004 only missed a newer version, and
    // item-003 is gone from the CMS.
    expect(report).toEqual(expect.objectContaining({ updated: 3, drift: 3, deprecated: 1, unchanged: 246 }));
    expect((await stateOf('item-001'))!.title).toBe('Item 1');
    expect((await stateOf('item-003'))!.deleted).toBe(1);
    expect((await stateOf('item-004'))!.metadata_version).toBe(2);
    const tags = await t.connector.db.kysely.selectFrom('content_tag').selectAll().where('content_id', '=', 'item-002').execute();
    expect(tags.map((row) => [row.skill_id, row.status])).toEqual([[SKILLS[2], 'active']]);
    const drift = await t.connector.db.kysely.selectFrom('audit').selectAll().where('action', '=', 'drift').execute();
    expect(drift.length).toBeGreaterThanOrEqual(3);

    const second = await reconciler().run('full');
    expect(second).toEqual(expect.objectContaining({ updated: 0, drift: 0, deprecated: 0, unchanged: 249 }));
  });

  test('server errors are retried with smaller pages', async () => {
    cms.contentLimits = [];
    cms.failNext = 2;
    const report = await reconciler().run('full', { dryRun: true });
    expect(report.unchanged).toBe(249);
    // The feed head request fails twice and is retried, then the walk starts at 100.
    expect(cms.contentLimits.slice(0, 4)).toEqual([1, 1, 1, 100]);

    // One failure after the first content page: 100, then 200 fails and halves to 100, then grows.
    cms.contentLimits = [];
    const run = reconciler().run('full', {
      dryRun: true,
      onProgress: (progress) => {
        if (progress.phase === 'content' && progress.pages === 1) cms.failNext = 1;
      },
    });
    expect((await run).unchanged).toBe(249);
    expect(cms.contentLimits).toEqual([1, 100, 200, 100, 200]);
  });

  test('delta applies CMS changes with the ordering rule', async () => {
    cms.put({ content_id: 'item-010', locale: null, title: 'Item 10 v2', skill_tags: [tag(3), tag(4, 0.55)], metadata_version: 2 });
    cms.remove('item-011', null, 2);
    cms.put({ content_id: 'new-1', locale: 'fr', title: 'Nouveau', skill_tags: [tag(0)], metadata_version: 1 }, 'create');
    const report = await reconciler().run('delta');
    expect(report.mode).toBe('delta');
    // The last full run stored the CMS feed head, so only these three changes are read.
    expect(report.items).toBe(3);
    expect(report.updated).toBeGreaterThanOrEqual(1);
    expect(report.created).toBe(1);
    expect(report.deprecated).toBe(1);
    expect((await stateOf('item-010'))!.title).toBe('Item 10 v2');
    expect((await stateOf('item-011'))!.deleted).toBe(1);
    const fr = await t.connector.db.kysely.selectFrom('content_state').selectAll().where('content_id', '=', 'new-1').where('locale', '=', 'fr').executeTakeFirstOrThrow();
    expect(fr.title).toBe('Nouveau');

    const again = await reconciler().run('delta');
    expect(again.items).toBe(0);
  });

  test('a change during a full walk is read by the next delta', async () => {
    let changed = false;
    cms.afterContentRead = ({ offset, limit }) => {
      if (changed || offset !== 0 || limit === 1) return;
      changed = true;
      cms.put({ content_id: 'item-000', locale: null, title: 'Item 0 edited during the walk', skill_tags: [tag(1)], metadata_version: 7 });
    };
    try {
      await reconciler().run('full');
    } finally {
      cms.afterContentRead = undefined;
    }
    expect(changed).toBe(true);
    expect((await stateOf('item-000'))!.title).toBe('Item 0');

    const delta = await reconciler().run('delta');
    expect(delta.items).toBe(1);
    expect((await stateOf('item-000'))!.title).toBe('Item 0 edited during the walk');
  });

  test('without a CMS feed head the delta starts before the run', async () => {
    cms.sendFeedCursor = false;
    const before = Date.now();
    try {
      await reconciler().run('full');
    } finally {
      cms.sendFeedCursor = true;
    }
    const stored = await t.connector.db.kysely.selectFrom('connector_state').select('value').where('key', '=', 'cms_changes_cursor').executeTakeFirstOrThrow();
    // A margin for clock skew between the CMS and this host: the cursor is well before the run began.
    expect(Date.parse(stored.value)).toBeLessThanOrEqual(before - 60_000);
  });

  test('a failed run records its error code', async () => {
    cms.failNext = 100;
    try {
      await expect(reconciler().run('full', { dryRun: true })).rejects.toThrow();
    } finally {
      cms.failNext = 0;
    }
    const run = await t.connector.db.kysely.selectFrom('reconcile_run').select(['status', 'error']).orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^CMS_ERROR: /);
  });

  test('410 on the delta cursor runs a full reconciliation', async () => {
    cms.feedExpired = true;
    try {
      const report = await reconciler().run('delta');
      expect(report.full_run).toEqual(expect.objectContaining({ mode: 'full', unchanged: 249 }));
    } finally {
      cms.feedExpired = false;
    }
  });

  test('pull responses are compressed', async () => {
    const response = await fetch(`${t.url}/content?limit=200`, { headers: { authorization: `Bearer ${t.readKey}`, 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(200);
  });

  test('POST /reconcile needs admin and returns the report', async () => {
    const forbidden = await fetch(`${t.url}/reconcile?mode=full`, { method: 'POST', headers: { authorization: `Bearer ${t.readKey}` } });
    expect(forbidden.status).toBe(403);
    const response = await fetch(`${t.url}/reconcile?mode=full&dry_run=true&wait=true`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { run_id: string; status: string; report: { unchanged: number } };
    expect(body.status).toBe('done');
    expect(body.report.unchanged).toBe(249);
    const run = await fetch(`${t.url}/reconcile/runs/${body.run_id}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(((await run.json()) as { dry_run: boolean }).dry_run).toBe(true);
  });
});
