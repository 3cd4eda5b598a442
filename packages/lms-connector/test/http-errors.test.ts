import { leakedSecrets, startConnector, type TestConnector } from './helpers/connector';
import { signedRequest, tagUpdated } from './helpers/events';

describe('HTTP error answers', () => {
  let t: TestConnector;

  beforeAll(async () => {
    t = await startConnector({ BODY_LIMIT_BYTES: '4096' }, { workers: false });
  });

  afterAll(async () => {
    await t.close();
    expect(leakedSecrets()).toEqual([]);
  });

  async function problemOf(response: Response) {
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return (await response.json()) as { code: string; title: string; detail: string; status: number };
  }

  test('bad percent-encoding is a problem document', async () => {
    const response = await t.get('/content/%zz');
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('QUERY_INVALID');
    expect(problem.detail).toContain('%zz');
  });

  test.each(['GET', 'OPTIONS', 'PUT'])('%s /events is 405 with Allow', async (method) => {
    const response = await fetch(`${t.url}/events`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await problemOf(response)).code).toBe('METHOD_NOT_ALLOWED');
  });

  test('a path with a parameter gets 405 too', async () => {
    const response = await fetch(`${t.url}/content/doc-1`, { method: 'DELETE', headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  test('an unknown path stays 404', async () => {
    const response = await t.get('/nothing/here');
    expect(response.status).toBe(404);
    expect((await problemOf(response)).code).toBe('ROUTE_NOT_FOUND');
  });

  test('empty cursor is CURSOR_INVALID', async () => {
    for (const path of ['/content/changes?cursor=', '/content?cursor=', '/skills?cursor=']) {
      const response = await t.get(path);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).code).toBe('CURSOR_INVALID');
    }
  });

  test('413 names the body limit', async () => {
    const response = await t.post('/events', signedRequest(tagUpdated('big-1', 1, [], { title: 'x'.repeat(5000) })));
    expect(response.status).toBe(413);
    expect((await problemOf(response)).detail).toContain('BODY_LIMIT_BYTES=4096');
  });

  test('AUTH_FORBIDDEN lists each scope once', async () => {
    const response = await t.get('/adapter/tasks', t.readKey);
    expect(response.status).toBe(403);
    expect((await problemOf(response)).detail).toContain('needs one of [admin].');
  });

  test('titles are in sentence case', async () => {
    const response = await t.get('/mappings/skills/00000000-0000-4000-8000-000000000099');
    const problem = await problemOf(response);
    expect(problem.code).toBe('MAPPING_NOT_FOUND');
    expect(problem.title).toBe('Mapping not found');
  });
});
