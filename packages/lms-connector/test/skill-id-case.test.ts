import { leakedSecrets, startConnector, type TestConnector } from './helpers/connector';
import { describeEachDialect } from './helpers/dialects';
import { signedRequest, skillUpdated, tagUpdated } from './helpers/events';

const MAPPED_BY_PUT = 'abcdef01-2345-4678-9abc-def012345678';
const MAPPED_BY_CSV = 'fedcba98-7654-4321-8fed-cba987654321';

describeEachDialect('skill UUIDs in upper case', (target) => {
  let t: TestConnector;

  beforeAll(async () => {
    t = await startConnector(target.env());
  });

  afterAll(async () => {
    await t.close();
    expect(leakedSecrets()).toEqual([]);
  });

  const write = (pathname: string, method: string, body: string, contentType: string) =>
    fetch(`${t.url}${pathname}`, { method, body, headers: { authorization: `Bearer ${t.writeKey}`, 'content-type': contentType } });

  test('mappings, events and lookups meet on the lower-case UUID', async () => {
    const put = await write(`/mappings/skills/${MAPPED_BY_PUT.toUpperCase()}`, 'PUT', JSON.stringify({ lms_competency_id: '41' }), 'application/json');
    expect(put.status).toBe(200);
    expect(((await put.json()) as { skill_id: string }).skill_id).toBe(MAPPED_BY_PUT);
    // The same skill in lower case updates the row rather than adding a second one.
    const again = await write(`/mappings/skills/${MAPPED_BY_PUT}`, 'PUT', JSON.stringify({ lms_competency_id: '42' }), 'application/json');
    expect(((await again.json()) as { result: string }).result).toBe('updated');

    const csv = await write('/mappings/import', 'POST', `skill_id,lms_competency_id\n${MAPPED_BY_CSV.toUpperCase()},43\n`, 'text/csv');
    expect(csv.status).toBe(200);

    await t.post('/events', signedRequest(skillUpdated(MAPPED_BY_PUT.toUpperCase(), 1, 'Upper-case skill')));
    await t.post('/events', signedRequest(tagUpdated('case-doc', 1, [{ skill_id: MAPPED_BY_PUT.toUpperCase() }, { skill_id: MAPPED_BY_CSV.toUpperCase() }])));
    await t.drain();

    const item = (await (await t.get('/content/case-doc')).json()) as { skill_tags: Array<{ skill_id: string; lms_competency_id: string | null }> };
    expect(item.skill_tags.map((tag) => [tag.skill_id, tag.lms_competency_id])).toEqual([
      [MAPPED_BY_PUT, '42'],
      [MAPPED_BY_CSV, '43'],
    ]);
    const unmapped = (await (await t.get('/mappings/unmapped')).json()) as { items: unknown[] };
    expect(unmapped.items).toEqual([]);
    const mappings = (await (await t.get('/mappings/skills')).json()) as { items: Array<{ skill_id: string }> };
    expect(mappings.items.map((row) => row.skill_id)).toEqual([MAPPED_BY_PUT, MAPPED_BY_CSV]);
    const skills = (await (await t.get('/skills')).json()) as { items: Array<{ skill_id: string }> };
    expect(skills.items.map((skill) => skill.skill_id)).toContain(MAPPED_BY_PUT);
    expect((await t.get(`/mappings/skills/${MAPPED_BY_CSV.toUpperCase()}`)).status).toBe(200);

    const deleted = await fetch(`${t.url}/mappings/skills/${MAPPED_BY_CSV.toUpperCase()}`, { method: 'DELETE', headers: { authorization: `Bearer ${t.writeKey}` } });
    expect(deleted.status).toBe(204);
  });
});
