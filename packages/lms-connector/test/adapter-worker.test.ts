import { adapterFactories } from '../src/adapters';
import { AdapterError, type AdapterTask, type LmsAdapter } from '../src/adapters/types';
import { capturedLogs, eventually, leakedSecrets, startConnector, type TestConnector } from './helpers/connector';
import { describeEachDialect } from './helpers/dialects';
import { signedRequest, SKILLS, tagUpdated } from './helpers/events';

type Outcome = 'ok' | 'retryable' | 'permanent' | 'paused' | { waitFor: Promise<void> };

/** An adapter whose behaviour per content item is scripted by the test, recording every call. */
class ScriptedAdapter implements LmsAdapter {
  readonly name = 'scripted';
  calls: string[] = [];
  probes = 0;
  probeFailures = 0;
  script = new Map<string, Outcome[]>();

  async run(task: AdapterTask): Promise<void> {
    const subject = task.kind === 'content' ? task.content_id : task.kind;
    this.calls.push(subject);
    const outcome = this.script.get(subject)?.shift() ?? 'ok';
    if (typeof outcome === 'object') return outcome.waitFor;
    if (outcome === 'retryable') throw new AdapterError('retryable', 'LMS_UNAVAILABLE', 'LMS returned HTTP 503');
    if (outcome === 'permanent') throw new AdapterError('permanent', 'invalidparameter', 'Invalid parameter value detected');
    if (outcome === 'paused') throw new AdapterError('paused', 'invalidtoken', 'Invalid token - token not found');
  }

  async probe(): Promise<void> {
    this.probes += 1;
    if (this.probeFailures > 0) {
      this.probeFailures -= 1;
      throw new AdapterError('paused', 'invalidtoken', 'still invalid');
    }
  }
}

describeEachDialect('adapter worker', (target) => {
  let t: TestConnector;
  const adapter = new ScriptedAdapter();

  beforeAll(async () => {
    adapterFactories.scripted = () => adapter;
    t = await startConnector({ ...target.env(), LMS_ADAPTER: 'scripted', ADAPTER_BACKOFF_BASE_MS: '10', ADAPTER_BACKOFF_MAX_MS: '20', ADAPTER_PROBE_INTERVAL_MS: '50', ADAPTER_POLL_INTERVAL_MS: '20' });
  });

  afterAll(async () => {
    await t.close();
    delete adapterFactories.scripted;
    expect(leakedSecrets()).toEqual([]);
  });

  const tasks = async (status: string) => {
    const response = await fetch(`${t.url}/adapter/tasks?status=${status}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    return (await response.json()) as { counts: Record<string, number>; items: Array<{ subject_key: string; attempts: number; last_error: string | null; status: string }> };
  };
  const send = (contentId: string, version = 1) => t.post('/events', signedRequest(tagUpdated(contentId, version, [{ skill_id: SKILLS[0]! }])));
  const callsFor = (subject: string) => adapter.calls.filter((call) => call === subject).length;

  test('retryable failures retry until done', async () => {
    adapter.script.set('retry-1', ['retryable', 'retryable', 'ok']);
    await send('retry-1');
    await eventually(async () => (await tasks('done')).items.some((item) => item.subject_key === 'content:retry-1:'));
    expect(callsFor('retry-1')).toBe(3);
  });

  test('permanent failure is failed with last_error', async () => {
    adapter.script.set('bad-1', ['permanent']);
    await send('bad-1');
    const failed = await eventually(async () => (await tasks('failed')).items.find((item) => item.subject_key === 'content:bad-1:'));
    expect(failed.last_error).toContain('invalidparameter');
    expect((await tasks('failed')).counts.failed).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(callsFor('bad-1')).toBe(1);
  });

  test('paused adapter stops, probes, resumes', async () => {
    adapter.script.set('pause-1', ['paused']);
    adapter.probeFailures = 2;
    const probesBefore = adapter.probes;
    const logsBefore = capturedLogs.length;
    await send('pause-1');
    await eventually(() => t.connector.adapterWorker.isPaused);
    await send('pause-2');

    await eventually(() => !t.connector.adapterWorker.isPaused);
    expect(adapter.probes - probesBefore).toBeGreaterThanOrEqual(3);
    await eventually(async () => {
      const done = (await tasks('done')).items.map((item) => item.subject_key);
      return done.includes('content:pause-1:') && done.includes('content:pause-2:');
    });
    expect(capturedLogs.slice(logsBefore).filter((line) => line.includes('LMS adapter paused')).length).toBe(1);
  });

  test('newer request during a run is not lost', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    adapter.script.set('busy-1', [{ waitFor: blocked }, 'ok']);
    await send('busy-1', 1);
    await eventually(() => callsFor('busy-1') === 1);
    await send('busy-1', 2);
    await t.drain();
    release();
    await eventually(() => callsFor('busy-1') === 2);
    await eventually(async () => (await tasks('done')).items.some((item) => item.subject_key === 'content:busy-1:'));
  });
});
