import { FakeCms } from './helpers/cms-server';
import { OTHER_SECRET, signedRequest, SKILLS, tagUpdated } from './helpers/events';
import { capturedLogs, knownSecrets, leakedSecrets, startConnector } from './helpers/connector';

test('logs never contain a secret or key', async () => {
  const cms = new FakeCms();
  await cms.start();
  const t = await startConnector({ LOG_LEVEL: 'trace', CMS_URL: cms.url, CMS_API_TOKEN: cms.token, RECONCILE_RETRY_BASE_MS: '1', RECONCILE_MAX_RETRIES: '1' });
  knownSecrets.add(OTHER_SECRET);
  try {
    // Good and bad deliveries, every kind of key use, and CMS calls that succeed and fail.
    await t.post('/events', signedRequest(tagUpdated('log-1', 1, [{ skill_id: SKILLS[0]! }])));
    await t.post('/events', signedRequest(tagUpdated('log-1', 2, []), { secret: OTHER_SECRET }));
    await t.drain();
    await t.get('/content/log-1', t.readKey);
    await t.get('/adapter/tasks', t.readKey);
    await t.get('/content/changes', `${t.adminKey}x`);
    await fetch(`${t.url}/reconcile?mode=full&wait=true`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}` } });
    cms.failNext = 5;
    await fetch(`${t.url}/reconcile?mode=full&wait=true`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}` } });
  } finally {
    await t.close();
    await cms.stop();
  }

  expect(capturedLogs.length).toBeGreaterThan(5);
  expect(capturedLogs.some((line) => line.includes('"request rejected"'))).toBe(true);
  expect(capturedLogs.some((line) => line.includes('"reconciliation failed"'))).toBe(true);
  expect(knownSecrets.has(cms.token)).toBe(true);
  expect(leakedSecrets()).toEqual([]);
});
