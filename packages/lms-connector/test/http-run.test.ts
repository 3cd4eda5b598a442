import fc from 'fast-check';
import { describeEachDialect } from './helpers/dialects';
import { signedRequest } from './helpers/events';
import { applyAll, freshDb, type Generated, historyArbitrary, snapshot } from './helpers/history';
import { eventually, leakedSecrets, startConnector, type TestConnector } from './helpers/connector';

const ITEMS = Array.from({ length: 40 }, (_, index) => `run-${index}`);

describeEachDialect('HTTP run of generated events', (target) => {
  let t: TestConnector;

  beforeAll(async () => {
    t = await startConnector({ ...target.env(), LOG_LEVEL: 'info' });
  });

  afterAll(async () => {
    await t.close();
    expect(leakedSecrets()).toEqual([]);
  });

  test('shuffled duplicated thousands converge', async () => {
    const [inOrder] = fc.sample(historyArbitrary(ITEMS, 2500, 2500), { numRuns: 1, seed: 20260801 });
    const events = inOrder!;
    // Deliver every event once plus a quarter of them again, in a shuffled order.
    const [delivered] = fc.sample(fc.shuffledSubarray([...events, ...events.slice(0, Math.floor(events.length / 4))], { minLength: Math.floor(events.length * 1.25) }), { numRuns: 1, seed: 7 });
    expect(delivered!.length).toBeGreaterThanOrEqual(3000);

    const statuses = new Map<number, number>();
    for (let start = 0; start < delivered!.length; start += 16) {
      const batch = delivered!.slice(start, start + 16).map(async (event: Generated) => {
        const request = signedRequest(event);
        const response = await t.post('/events', request);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      });
      await Promise.all(batch);
    }
    expect([...statuses.keys()].sort()).toEqual(delivered!.length > events.length ? [200, 202] : [202]);
    expect(statuses.get(202)).toBe(new Set(events.map((event) => event.event_id)).size);

    await eventually(async () => {
      const pending = await t.connector.db.kysely.selectFrom('inbox').select('id').where('status', '=', 'pending').limit(1).execute();
      return pending.length === 0;
    }, 120_000);

    const expectedDb = await freshDb();
    try {
      await applyAll(expectedDb, events);
      expect(await snapshot(t.connector.db)).toEqual(await snapshot(expectedDb));
    } finally {
      await expectedDb.close();
    }
  });
});
