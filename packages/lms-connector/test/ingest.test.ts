import { randomUUID } from 'node:crypto';
import { contentDeleted, OTHER_SECRET, signedRequest, SKILLS, tagUpdated } from './helpers/events';
import { eventually, leakedSecrets, startConnector, type TestConnector } from './helpers/connector';
import { describeEachDialect } from './helpers/dialects';

describeEachDialect('ingest', (target) => {
  let t: TestConnector;

  beforeAll(async () => {
    t = await startConnector(target.env());
  });

  afterAll(async () => {
    await t.close();
    expect(leakedSecrets()).toEqual([]);
  });

  const inboxCount = async () => Number((await t.connector.db.kysely.selectFrom('inbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function send(event: object, options: Parameters<typeof signedRequest>[1] = {}) {
    return t.post('/events', signedRequest(event, options));
  }

  describe('POST /events', () => {
    test('signed event is applied and visible', async () => {
      const event = tagUpdated('course-1', 1, [
        { skill_id: SKILLS[0]!, confidence: 0.9, source: 'ai' },
        { skill_id: SKILLS[1]!, confidence: 1, proficiency: 'beginner', source: 'editor' },
        { skill_id: SKILLS[2]!, confidence: 0.3, source: 'ai' },
      ]);
      const response = await send(event);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: true, event_id: event.event_id });

      const item = await eventually(async () => {
        const res = await t.get('/content/course-1');
        return res.status === 200 ? ((await res.json()) as Record<string, any>) : undefined;
      });
      expect(item.metadata_version).toBe(1);
      expect(item.title).toBe('Course course-1');
      const byId = Object.fromEntries(item.skill_tags.map((tag: any) => [tag.skill_id, tag]));
      expect(byId[SKILLS[0]!].derived_proficiency).toBe('advanced');
      expect(byId[SKILLS[0]!].confidence).toBe(0.9);
      expect(byId[SKILLS[1]!].derived_proficiency).toBe('beginner');
      expect(byId[SKILLS[1]!].proficiency).toBe('beginner');
      expect(byId[SKILLS[2]!].derived_proficiency).toBeNull();
      expect(item.lms_course_id).toBeNull();

      const feed = (await (await t.get('/content/changes')).json()) as any;
      expect(feed.items).toEqual([expect.objectContaining({ content_id: 'course-1', op: 'create', metadata_version: 1 })]);
    });

    test('duplicate sent sequentially is applied once', async () => {
      const event = tagUpdated('course-dup', 1, [{ skill_id: SKILLS[0]! }]);
      const first = await send(event);
      const second = await send(event);
      expect(first.status).toBe(202);
      expect(second.status).toBe(200);
      expect(await second.json()).toEqual({ duplicate: true, event_id: event.event_id });
      await t.drain();
      const rows = await t.connector.db.kysely.selectFrom('inbox').selectAll().where('event_id', '=', event.event_id).execute();
      expect(rows).toHaveLength(1);
      const audits = await t.connector.db.kysely.selectFrom('audit').selectAll().where('event_id', '=', event.event_id).execute();
      expect(audits).toHaveLength(1);
    });

    test('duplicates sent in parallel are applied once', async () => {
      const event = tagUpdated('course-par', 1, [{ skill_id: SKILLS[0]! }]);
      const responses = await Promise.all(Array.from({ length: 10 }, () => send(event)));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(9);
      await t.drain();
      const audits = await t.connector.db.kysely.selectFrom('audit').selectAll().where('event_id', '=', event.event_id).execute();
      expect(audits).toHaveLength(1);
      const changes = await t.connector.db.kysely.selectFrom('change_feed').selectAll().where('content_id', '=', 'course-par').execute();
      expect(changes).toHaveLength(1);
    });

    test('older metadata_version is stale', async () => {
      const newer = tagUpdated('course-order', 5, [{ skill_id: SKILLS[3]! }]);
      const older = tagUpdated('course-order', 4, [{ skill_id: SKILLS[4]! }]);
      expect((await send(newer)).status).toBe(202);
      await t.drain();
      expect((await send(older)).status).toBe(202);
      await t.drain();

      const item = (await (await t.get('/content/course-order')).json()) as any;
      expect(item.metadata_version).toBe(5);
      expect(item.skill_tags.map((tag: any) => tag.skill_id)).toEqual([SKILLS[3]]);
      const row = await t.connector.db.kysely.selectFrom('inbox').selectAll().where('event_id', '=', older.event_id).executeTakeFirstOrThrow();
      expect(row.status).toBe('stale');
      const audit = await t.connector.db.kysely.selectFrom('audit').selectAll().where('event_id', '=', older.event_id).executeTakeFirstOrThrow();
      expect(audit.action).toBe('stale');
    });

    test('removed tags become deprecated', async () => {
      await send(tagUpdated('course-rm', 1, [{ skill_id: SKILLS[0]! }, { skill_id: SKILLS[1]! }]));
      await send(tagUpdated('course-rm', 2, [{ skill_id: SKILLS[1]! }]));
      await t.drain();
      const item = (await (await t.get('/content/course-rm')).json()) as any;
      const status = Object.fromEntries(item.skill_tags.map((tag: any) => [tag.skill_id, tag.status]));
      expect(status).toEqual({ [SKILLS[0]!]: 'deprecated', [SKILLS[1]!]: 'active' });

      await send(contentDeleted('course-rm', 3));
      await t.drain();
      const deleted = (await (await t.get('/content/course-rm')).json()) as any;
      expect(deleted.deleted).toBe(true);
      expect(deleted.skill_tags.every((tag: any) => tag.status === 'deprecated')).toBe(true);
      expect(deleted.skill_tags).toHaveLength(2);
    });

    test('endpoint.test answers 200 and stores nothing', async () => {
      const before = await inboxCount();
      const event = { event_id: randomUUID(), event_type: 'endpoint.test', timestamp: new Date().toISOString(), source: 'cms', data: {} };
      const response = await send(event);
      expect(response.status).toBe(200);
      expect(await inboxCount()).toBe(before);
    });
  });

  describe('POST /events rejections store nothing', () => {
    const now = () => Math.floor(Date.now() / 1000);

    const cases: Array<[string, () => ReturnType<typeof signedRequest>, number, string]> = [
      ['tampered body', () => { const r = signedRequest(tagUpdated('x-1', 1, [])); return { ...r, body: r.body.replace('x-1', 'x-2') }; }, 401, 'SIGNATURE_INVALID'],
      ['wrong secret', () => signedRequest(tagUpdated('x-1', 1, []), { secret: OTHER_SECRET }), 401, 'SIGNATURE_INVALID'],
      ['timestamp 301 s old', () => signedRequest(tagUpdated('x-1', 1, []), { timestamp: now() - 301 }), 401, 'TIMESTAMP_OUT_OF_TOLERANCE'],
      ['timestamp 301 s ahead', () => signedRequest(tagUpdated('x-1', 1, []), { timestamp: now() + 301 }), 401, 'TIMESTAMP_OUT_OF_TOLERANCE'],
      ['missing signature header', () => { const r = signedRequest(tagUpdated('x-1', 1, [])); delete r.headers['webhook-signature']; return r; }, 401, 'SIGNATURE_MISSING'],
      ['missing id header', () => { const r = signedRequest(tagUpdated('x-1', 1, [])); delete r.headers['webhook-id']; return r; }, 401, 'SIGNATURE_MISSING'],
      ['missing timestamp header', () => { const r = signedRequest(tagUpdated('x-1', 1, [])); delete r.headers['webhook-timestamp']; return r; }, 401, 'SIGNATURE_MISSING'],
      ['invalid payload', () => signedRequest({ ...tagUpdated('x-1', 1, []), data: { content_id: '', metadata_version: 0 } }), 400, 'PAYLOAD_INVALID'],
      ['unknown event type', () => signedRequest({ ...tagUpdated('x-1', 1, []), event_type: 'content.exploded' }), 400, 'EVENT_TYPE_UNKNOWN'],
      ['newer schema version', () => signedRequest({ ...tagUpdated('x-1', 1, []), schema_version: 99 }), 400, 'SCHEMA_VERSION_UNSUPPORTED'],
      ['body not JSON', () => signedRequest({}, { id: randomUUID(), body: '{"event_id": ' }), 400, 'PAYLOAD_INVALID'],
      ['id header mismatch', () => signedRequest(tagUpdated('x-1', 1, []), { id: randomUUID() }), 400, 'EVENT_ID_MISMATCH'],
      ['body over the limit', () => signedRequest(tagUpdated('x-1', 1, [], { title: 'x'.repeat(1024 * 1024 + 10) })), 413, 'PAYLOAD_TOO_LARGE'],
    ];

    test.each(cases)('%s', async (_name, build, status, code) => {
      const before = await inboxCount();
      const response = await t.post('/events', build());
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as any;
      expect(problem.code).toBe(code);
      expect(problem.status).toBe(status);
      expect(await inboxCount()).toBe(before);
    });

    test('invalid payload lists every issue', async () => {
      const event = tagUpdated('x-1', 1, [{ skill_id: 'not-a-uuid', confidence: 2 }]);
      const response = await t.post('/events', signedRequest(event));
      const problem = (await response.json()) as any;
      expect(problem.issues.map((issue: any) => issue.path).sort()).toEqual(['data.skill_tags.0.confidence', 'data.skill_tags.0.skill_id']);
    });
  });

  describe('pull contract errors', () => {
    test('malformed cursor is 400 CURSOR_INVALID', async () => {
      const response = await t.get('/content/changes?cursor=%25%25nope');
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).code).toBe('CURSOR_INVALID');
    });

    test('limit=501 is 400 LIMIT_OUT_OF_RANGE', async () => {
      const response = await t.get('/content/changes?limit=501');
      expect(response.status).toBe(400);
      const problem = (await response.json()) as any;
      expect(problem.code).toBe('LIMIT_OUT_OF_RANGE');
      expect(problem.detail).toContain('1 to 500');
    });

    test('missing key is 401 and wrong scope 403', async () => {
      const anonymous = await fetch(`${t.url}/content/changes`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as any).code).toBe('AUTH_MISSING');
      const forbidden = await fetch(`${t.url}/adapter/tasks`, { headers: { authorization: `Bearer ${t.readKey}` } });
      expect(forbidden.status).toBe(403);
      expect(((await forbidden.json()) as any).code).toBe('AUTH_FORBIDDEN');
      const unknown = await fetch(`${t.url}/content/changes`, { headers: { authorization: 'Bearer skc_000000000000_nope' } });
      expect(unknown.status).toBe(401);
    });

    test('unknown content is 404 CONTENT_NOT_FOUND', async () => {
      const response = await t.get('/content/nope');
      expect(response.status).toBe(404);
      expect(((await response.json()) as any).code).toBe('CONTENT_NOT_FOUND');
    });
  });

  describe('anonymous routes', () => {
    test('healthz, readyz, metrics and openapi answer', async () => {
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      for (const name of ['skill_sync_time_to_sync_seconds', 'skill_events_total', 'skill_inbox_depth', 'skill_reconcile_failures_total', 'skill_lms_calls_total']) {
        expect(metrics).toContain(name);
      }
      const openapi = (await (await fetch(`${t.url}/openapi.json`)).json()) as any;
      expect(openapi.openapi).toBe('3.1.0');
      expect(openapi.paths['/events']).toBeDefined();
      expect(openapi.components.schemas.SkillMappingEvent).toBeDefined();
    });
  });
});
