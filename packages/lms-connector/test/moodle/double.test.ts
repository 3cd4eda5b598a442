import { type MoodleDouble, startMoodleDouble } from './double/server';

const TOKEN = 'abc123';
const SCALE_CONFIG = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]';

let double: MoodleDouble;

async function post(body: string, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; text: string; json: () => unknown }> {
  const response = await fetch(`${double.url}/webservice/rest/server.php`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

function call(wsfunction: string, fields: string, token = TOKEN) {
  return post(`wstoken=${token}&wsfunction=${wsfunction}&moodlewsrestformat=json${fields ? `&${fields}` : ''}`);
}

async function createFramework(idnumber = 'FW1'): Promise<number> {
  const fields = new URLSearchParams({
    'competencyframework[shortname]': 'Framework',
    'competencyframework[idnumber]': idnumber,
    'competencyframework[scaleid]': '2',
    'competencyframework[scaleconfiguration]': SCALE_CONFIG,
    'competencyframework[contextlevel]': 'system',
    'competencyframework[instanceid]': '0',
  });
  const response = await call('core_competency_create_competency_framework', fields.toString());
  return (response.json() as { id: number }).id;
}

beforeEach(async () => {
  double = await startMoodleDouble();
  double.addToken(TOKEN);
  double.addCourse(5);
});

afterEach(async () => {
  await double.stop();
});

describe('Moodle double protocol', () => {
  test('create_competency answers the documented record', async () => {
    const frameworkId = await createFramework();
    const response = await call(
      'core_competency_create_competency',
      `competency[shortname]=Algebra&competency[idnumber]=MATH-ALG&competency[competencyframeworkid]=${frameworkId}&competency[description]=&competency[descriptionformat]=1&competency[parentid]=0`,
    );

    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({
      shortname: 'Algebra',
      idnumber: 'MATH-ALG',
      description: '',
      descriptionformat: 1,
      sortorder: 0,
      parentid: 0,
      path: '/0/',
      ruleoutcome: 0,
      ruletype: null,
      scaleid: null,
      competencyframeworkid: frameworkId,
      usermodified: 2,
    });
    expect(typeof (response.json() as { id: unknown }).id).toBe('number');
  });

  test('unknown token fails on HTTP 200', async () => {
    const response = await call('core_competency_list_competencies', 'filters[0][column]=id&filters[0][value]=1', 'nope');

    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ exception: 'moodle_exception', errorcode: 'invalidtoken', message: 'Invalid token - token not found' });
  });

  test('revoked token fails until restored', async () => {
    double.revokeToken(TOKEN);
    expect((await call('core_webservice_get_site_info', '')).json()).toMatchObject({ errorcode: 'invalidtoken' });

    double.restoreToken(TOKEN);
    expect((await call('core_webservice_get_site_info', '')).json()).toMatchObject({ userid: 2 });
  });

  test('JSON body is not understood', async () => {
    const response = await post(JSON.stringify({ wstoken: TOKEN, wsfunction: 'core_webservice_get_site_info' }), 'application/json');

    // Without form fields Moodle finds no token and no format, so it replies in its default XML.
    expect(response.text).toContain('<ERRORCODE>invalidtoken</ERRORCODE>');
  });

  test('missing moodlewsrestformat gives XML', async () => {
    const response = await post(`wstoken=${TOKEN}&wsfunction=core_webservice_get_site_info`);

    expect(response.text.startsWith('<?xml')).toBe(true);
  });

  test('function outside the service is an access exception', async () => {
    double.addToken('limited', { functions: ['core_webservice_get_site_info'] });
    const response = await call('core_competency_list_competencies', 'filters[0][column]=id&filters[0][value]=1', 'limited');

    expect(response.json()).toMatchObject({ exception: 'webservice_access_exception', errorcode: 'accessexception' });
  });

  test('missing capability is nopermissions', async () => {
    double.addToken('viewer', { capabilities: ['competencyview'] });
    const response = await call('core_competency_get_scale_values', 'scaleid=2', 'viewer');

    expect(response.json()).toMatchObject({ exception: 'required_capability_exception', errorcode: 'nopermissions' });
  });

  test('disabled competencies are reported', async () => {
    double.state.competenciesEnabled = false;
    const response = await call('core_competency_get_scale_values', 'scaleid=2');

    expect(response.json()).toMatchObject({ errorcode: 'competenciesarenotenabled' });
  });

  test('missing required key names the key', async () => {
    const frameworkId = await createFramework();
    const response = await call('core_competency_create_competency', `competency[idnumber]=X&competency[competencyframeworkid]=${frameworkId}`);
    const body = response.json() as Record<string, string>;

    expect(body.exception).toBe('invalid_parameter_exception');
    expect(body.errorcode).toBe('invalidparameter');
    expect(body.debuginfo).toContain('Missing required key in single structure: shortname');
  });

  test('list_competencies requires filters', async () => {
    const missing = (await call('core_competency_list_competencies', '')).json() as Record<string, string>;
    const badColumn = (await call('core_competency_list_competencies', 'filters[0][column]=timecreated&filters[0][value]=1')).json() as Record<string, string>;

    expect(missing.debuginfo).toBe('Missing required key in single structure: filters');
    expect(badColumn.debuginfo).toBe('Filter column was invalid');
  });

  test('list_competencies matches exactly and pages', async () => {
    const frameworkId = await createFramework();
    for (const idnumber of ['A', 'B', 'C']) {
      await call('core_competency_create_competency', `competency[shortname]=${idnumber}&competency[idnumber]=${idnumber}&competency[competencyframeworkid]=${frameworkId}`);
    }
    const byIdnumber = (await call('core_competency_list_competencies', `filters[0][column]=competencyframeworkid&filters[0][value]=${frameworkId}&filters[1][column]=idnumber&filters[1][value]=B`)).json();
    const secondPage = (await call('core_competency_list_competencies', `filters[0][column]=competencyframeworkid&filters[0][value]=${frameworkId}&skip=2&limit=2`)).json();
    const none = (await call('core_competency_list_competencies', 'filters[0][column]=idnumber&filters[0][value]=Z')).json();

    expect((byIdnumber as Array<{ idnumber: string }>).map((c) => c.idnumber)).toEqual(['B']);
    expect((secondPage as Array<{ idnumber: string }>).map((c) => c.idnumber)).toEqual(['C']);
    expect(none).toEqual([]);
  });

  test('duplicate idnumber is invalidpersistenterror', async () => {
    const frameworkId = await createFramework();
    const fields = `competency[shortname]=A&competency[idnumber]=DUP&competency[competencyframeworkid]=${frameworkId}`;
    await call('core_competency_create_competency', fields);
    const second = (await call('core_competency_create_competency', fields)).json() as Record<string, string>;

    expect(second.errorcode).toBe('invalidpersistenterror');
    expect(second.message).toContain('idnumber');
    expect(double.state.competencies.size).toBe(1);
  });

  test('framework idnumber is unique site-wide', async () => {
    await createFramework('SAME');
    const fields = new URLSearchParams({
      'competencyframework[shortname]': 'Other',
      'competencyframework[idnumber]': 'SAME',
      'competencyframework[scaleid]': '2',
      'competencyframework[scaleconfiguration]': SCALE_CONFIG,
      'competencyframework[contextlevel]': 'system',
      'competencyframework[instanceid]': '0',
    });
    const response = (await call('core_competency_create_competency_framework', fields.toString())).json();

    expect(response).toMatchObject({ errorcode: 'invalidpersistenterror' });
  });

  test.each([
    ['no proficient item', '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0}]'],
    ['no default item', '[{"scaleid":"2"},{"id":2,"scaledefault":0,"proficient":1}]'],
    ['another scale id', '[{"scaleid":"3"},{"id":1,"scaledefault":1,"proficient":1}]'],
    ['item outside the scale', '[{"scaleid":"2"},{"id":3,"scaledefault":1,"proficient":1}]'],
  ])('framework scale configuration with %s is rejected', async (_case, configuration) => {
    const fields = new URLSearchParams({
      'competencyframework[shortname]': 'F',
      'competencyframework[idnumber]': 'F',
      'competencyframework[scaleid]': '2',
      'competencyframework[scaleconfiguration]': configuration,
      'competencyframework[contextlevel]': 'system',
      'competencyframework[instanceid]': '0',
    });
    const body = (await call('core_competency_create_competency_framework', fields.toString())).json() as Record<string, string>;

    expect(body.errorcode).toBe('invalidpersistenterror');
    expect(body.message).toContain('errorscaleconfiguration');
    expect(double.state.frameworks.size).toBe(0);
  });

  test('shortname comes back entity-encoded', async () => {
    const frameworkId = await createFramework();
    const fields = new URLSearchParams({
      'competency[shortname]': 'R&D <core> "α"',
      'competency[idnumber]': 'RD',
      'competency[competencyframeworkid]': String(frameworkId),
    });
    const created = (await call('core_competency_create_competency', fields.toString())).json() as { shortname: string };

    expect(created.shortname).toBe('R&amp;D &lt;core&gt; &quot;α&quot;');
    expect(double.competencyByIdnumber('RD')?.shortname).toBe('R&D <core> "α"');
  });

  test('course links report whether they changed', async () => {
    const frameworkId = await createFramework();
    const competency = (await call('core_competency_create_competency', `competency[shortname]=A&competency[idnumber]=A&competency[competencyframeworkid]=${frameworkId}`)).json() as { id: number };

    const first = (await call('core_competency_add_competency_to_course', `courseid=5&competencyid=${competency.id}`)).json();
    const again = (await call('core_competency_add_competency_to_course', `courseid=5&competencyid=${competency.id}`)).json();
    const listed = (await call('core_competency_list_course_competencies', 'id=5')).json() as Array<{ competency: { idnumber: string }; coursecompetency: { ruleoutcome: number } }>;
    const removed = (await call('core_competency_remove_competency_from_course', `courseid=5&competencyid=${competency.id}`)).json();
    const removedAgain = (await call('core_competency_remove_competency_from_course', `courseid=5&competencyid=${competency.id}`)).json();

    expect([first, again, removed, removedAgain]).toEqual([true, false, true, false]);
    expect(listed.map((entry) => entry.competency.idnumber)).toEqual(['A']);
    expect(listed[0]?.coursecompetency.ruleoutcome).toBe(1);
  });

  test('unknown and hidden courses fail', async () => {
    double.addCourse(6, { visible: false });
    const unknown = (await call('core_competency_list_course_competencies', 'id=99')).json();
    const hidden = (await call('core_competency_list_course_competencies', 'id=6')).json();

    expect(unknown).toMatchObject({ exception: 'dml_missing_record_exception', errorcode: 'invalidrecord' });
    expect(hidden).toMatchObject({ exception: 'require_login_exception' });
  });

  test('non-integer id is an invalid parameter', async () => {
    const body = (await call('core_competency_read_competency', 'id=abc')).json() as Record<string, string>;

    expect(body.errorcode).toBe('invalidparameter');
    expect(body.debuginfo).toContain('"int"');
  });

  test('lost response still applies the call', async () => {
    const frameworkId = await createFramework();
    double.injectFault({ kind: 'lost-response', wsfunction: 'core_competency_create_competency' });

    await expect(call('core_competency_create_competency', `competency[shortname]=A&competency[idnumber]=LOST&competency[competencyframeworkid]=${frameworkId}`)).rejects.toThrow();
    expect(double.competencyByIdnumber('LOST')).toBeDefined();
  });

  test('HTTP error fault applies nothing', async () => {
    double.injectFault({ kind: 'http-error', status: 503 });
    const response = await call('core_competency_get_scale_values', 'scaleid=2');
    const after = await call('core_competency_get_scale_values', 'scaleid=2');

    expect(response.status).toBe(503);
    expect(after.json()).toEqual([
      { id: 1, name: 'Not yet competent' },
      { id: 2, name: 'Competent' },
    ]);
  });
});
