import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MoodleClient } from '../../src/adapters/moodle/client';
import { errorFromException, MoodleCallError } from '../../src/adapters/moodle/errors';
import { encodeForm } from '../../src/adapters/moodle/form';
import { moodlePlainText, sameText, toMoodleName } from '../../src/adapters/moodle/text';
import { type MoodleDouble, startMoodleDouble } from './double/server';

const TOKEN = 'tok3n';

let double: MoodleDouble;
let client: MoodleClient;
const counted: Array<[string, string]> = [];

beforeEach(async () => {
  double = await startMoodleDouble();
  double.addToken(TOKEN);
  counted.length = 0;
  client = new MoodleClient({ baseUrl: `${double.url}/`, token: TOKEN, timeoutMs: 5000, onCall: (fn, result) => counted.push([fn, result]) });
});

afterEach(async () => {
  await double.stop();
});

async function failure(promise: Promise<unknown>): Promise<MoodleCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MoodleCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('encodeForm', () => {
  test('writes bracket keys and encodes values', () => {
    const body = encodeForm({ competency: { shortname: 'R&D = 100%', idnumber: 'a b' }, filters: [{ column: 'idnumber', value: 'x' }], flag: true, skipped: undefined });

    expect(body).toBe(
      'competency%5Bshortname%5D=R%26D+%3D+100%25&competency%5Bidnumber%5D=a+b&filters%5B0%5D%5Bcolumn%5D=idnumber&filters%5B0%5D%5Bvalue%5D=x&flag=1',
    );
  });

  test('rejects an empty list', () => {
    expect(() => encodeForm({ filters: [] })).toThrow(/empty list filters/);
  });
});

describe('text comparison', () => {
  test('decodes entities before comparing', () => {
    expect(sameText('R&amp;D &#945;&beta; caf&eacute;', 'R&D αβ café')).toBe(true);
    expect(sameText('R&amp;D', 'R and D')).toBe(false);
  });

  test('reads descriptions wrapped in HTML', () => {
    expect(moodlePlainText('<p>Line one<br />line &lt;two&gt;</p>')).toBe('Line one line <two>');
  });

  test('cuts names at 100 code points', () => {
    const name = 'α'.repeat(120);

    expect(Array.from(toMoodleName(name))).toHaveLength(100);
    expect(toMoodleName('short')).toBe('short');
  });
});

describe('errorFromException', () => {
  test.each([
    [{ exception: 'core\\exception\\moodle_exception', errorcode: 'invalidtoken', message: 'Invalid token - token not found' }, 'paused', 'MOODLE_TOKEN_INVALID'],
    [{ exception: 'core\\exception\\webservice_access_exception', errorcode: 'accessexception', message: 'Access control exception' }, 'paused', 'MOODLE_ACCESS_DENIED'],
    [{ exception: 'core\\invalid_persistent_exception', errorcode: 'invalidpersistenterror', message: 'Error: idnumber: taken' }, 'permanent', 'MOODLE_VALIDATION_FAILED'],
    [{ exception: 'coding_exception', errorcode: 'codingerror', message: 'Coding error detected' }, 'permanent', 'MOODLE_CALL_FAILED'],
  ])('classifies %j', (body, kind, code) => {
    const error = errorFromException('core_competency_create_competency', body);

    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.message).toContain(body.message);
  });
});

describe('MoodleClient', () => {
  test('returns the decoded JSON result and counts the call', async () => {
    const values = await client.call('core_competency_get_scale_values', { scaleid: 2 });

    expect(values).toEqual([
      { id: 1, name: 'Not yet competent' },
      { id: 2, name: 'Competent' },
    ]);
    expect(counted).toEqual([['core_competency_get_scale_values', 'ok']]);
  });

  test('sends values with & intact', async () => {
    const framework = await client.call<{ id: number }>('core_competency_create_competency_framework', {
      competencyframework: {
        shortname: 'R&D = x',
        idnumber: 'fw&1',
        scaleid: 2,
        scaleconfiguration: '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}]',
        contextlevel: 'system',
        instanceid: 0,
      },
    });

    expect(double.state.frameworks.get(framework.id)).toMatchObject({ shortname: 'R&D = x', idnumber: 'fw&1' });
  });

  test.each([
    ['invalid token', () => double.revokeToken(TOKEN), 'paused', 'MOODLE_TOKEN_INVALID'],
    ['function outside the service', () => double.addToken(TOKEN, { functions: ['core_webservice_get_site_info'] }), 'paused', 'MOODLE_ACCESS_DENIED'],
    ['missing capability', () => double.addToken(TOKEN, { capabilities: ['competencyview'] }), 'paused', 'MOODLE_CAPABILITY_MISSING'],
    ['competencies disabled', () => (double.state.competenciesEnabled = false), 'paused', 'MOODLE_COMPETENCIES_DISABLED'],
    ['HTTP 503', () => double.injectFault({ kind: 'http-error', status: 503 }), 'retryable', 'MOODLE_HTTP_UNAVAILABLE'],
    ['HTTP 500', () => double.injectFault({ kind: 'http-error', status: 500 }), 'retryable', 'MOODLE_HTTP_UNAVAILABLE'],
    ['lost response', () => double.injectFault({ kind: 'lost-response' }), 'retryable', 'MOODLE_UNREACHABLE'],
  ])('%s is classified', async (_case, arrange, kind, code) => {
    arrange();
    const error = await failure(client.call('core_competency_get_scale_values', { scaleid: 2 }));

    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(TOKEN);
    expect(counted).toEqual([['core_competency_get_scale_values', 'error']]);
  });

  test('invalid parameter is permanent with Moodle text', async () => {
    const error = await failure(client.call('core_competency_list_competencies', { filters: [{ column: 'timecreated', value: 1 }] }));

    expect(error.kind).toBe('permanent');
    expect(error.code).toBe('MOODLE_INVALID_PARAMETER');
    expect(error.errorcode).toBe('invalidparameter');
    expect(error.message).toContain('Filter column was invalid');
  });

  test('validation error is permanent', async () => {
    const error = await failure(
      client.call('core_competency_create_competency', { competency: { shortname: 'A', idnumber: 'A', competencyframeworkid: 404 } }),
    );

    expect(error.kind).toBe('permanent');
    expect(error.code).toBe('MOODLE_VALIDATION_FAILED');
    expect(error.message).toContain('competencyframeworkid');
  });

  test('closed port is retryable', async () => {
    const url = double.url;
    await double.stop();
    const offline = new MoodleClient({ baseUrl: url, token: TOKEN, timeoutMs: 2000 });
    const error = await failure(offline.call('core_webservice_get_site_info'));

    expect(error.kind).toBe('retryable');
    expect(error.code).toBe('MOODLE_UNREACHABLE');
    expect(error.message).not.toContain(TOKEN);
  });

  test('timeout is retryable', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const slow = new MoodleClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, timeoutMs: 200 });
      const error = await failure(slow.call('core_webservice_get_site_info'));

      expect(error.kind).toBe('retryable');
      expect(error.code).toBe('MOODLE_TIMEOUT');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test('wrong site path pauses', async () => {
    const wrong = new MoodleClient({ baseUrl: `${double.url}/moodle`, token: TOKEN, timeoutMs: 2000 });
    const error = await failure(wrong.call('core_webservice_get_site_info'));

    expect(error.kind).toBe('paused');
    expect(error.code).toBe('MOODLE_ENDPOINT_REJECTED');
  });

  test('non-JSON body pauses with the start of the body', async () => {
    const page = http.createServer((_req, res) => res.end('<html>Notice: undefined index</html>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const port = (page.address() as AddressInfo).port;
    try {
      const broken = new MoodleClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, timeoutMs: 2000 });
      const error = await failure(broken.call('core_webservice_get_site_info'));

      expect(error.kind).toBe('paused');
      expect(error.code).toBe('MOODLE_RESPONSE_NOT_JSON');
      expect(error.message).toContain('<html>Notice');
    } finally {
      page.closeAllConnections();
      await new Promise<void>((resolve) => page.close(() => resolve()));
    }
  });
});
