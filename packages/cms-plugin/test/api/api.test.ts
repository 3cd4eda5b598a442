import { execFileSync } from 'child_process';
import path from 'path';
import request from 'supertest';
import { ChangesPage, ContentPage, SkillsPage, parseEvent } from '@skill-mapping/shared-schema';
import { appDir, bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { TestReceiver } from '../helpers/receiver';
import { dataDir, readSubsetCsv, subsetSkills } from '../helpers/catalog';
import { apiToken, editorToken, registerSuperAdmin } from '../helpers/auth';
import { COURSE, courses, pluginServices } from '../helpers/plugin';

let booted: BootedStrapi;
let receiver: TestReceiver;
let admin: string;
let editor: string;
const [skillA, skillB, skillC, skillD] = subsetSkills(4);

const http = () => request(booted.strapi.server.httpServer);
const asAdmin = (token = admin) => ({ Authorization: `Bearer ${token}` });
const tag = (skill: { id: string }, extra: Record<string, unknown> = {}) => ({ skill_id: skill.id, confidence: 1, ...extra });

beforeAll(async () => {
  booted = await bootStrapi('api');
  admin = await registerSuperAdmin(booted.strapi);
  editor = await editorToken(booted.strapi);
  receiver = new TestReceiver();
  await receiver.start();
});

afterAll(async () => {
  await booted?.close();
  await receiver?.stop();
});

describe('admin skills API', () => {
  it('imports the catalog idempotently', async () => {
    const first = await http().post('/skill-mapping/skills/import').set(asAdmin()).send({ format: 'csv', content: readSubsetCsv() });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 200, updated: 0, unchanged: 0, rejected: [] });

    const second = await http().post('/skill-mapping/skills/import').set(asAdmin()).send({ format: 'csv', content: readSubsetCsv() });
    expect(second.body).toEqual({ created: 0, updated: 0, unchanged: 200, rejected: [] });
  });

  it('gives the same records through the import-skills script and the admin API', async () => {
    const script = path.join(appDir, 'scripts', 'import-skills.js');
    const runScript = () => execFileSync(process.execPath, [script, path.join(dataDir, 'skills_subset_200.csv')], { cwd: appDir, env: process.env, encoding: 'utf8' });
    expect(runScript()).toContain('created 0, updated 0, unchanged 200, rejected 0');

    const viaApi = await http().post('/skill-mapping/skills/import').set(asAdmin()).send({ format: 'csv', content: readSubsetCsv() });
    expect(viaApi.body).toEqual({ created: 0, updated: 0, unchanged: 200, rejected: [] });
    expect(runScript()).toContain('created 0, updated 0, unchanged 200, rejected 0');
    const [skill] = await booted.strapi.db.connection('skill_mapping_skills').where({ skill_id: skillA.id });
    expect(skill.framework).toBe('ESCO');
  });

  it('reports rejected rows with their number', async () => {
    const csv = 'id,uri,name,alt_names,description,group\nnot-a-uuid,,Bad,,,\n';
    const response = await http().post('/skill-mapping/skills/import').set(asAdmin()).send({ format: 'csv', content: csv });
    expect(response.body.rejected).toEqual([{ row: 2, reason: expect.stringContaining('not-a-uuid') }]);
  });

  it('rejects a skill row whose name is longer than the column', async () => {
    const id = '0f5e2b1c-6a7d-4e8f-9a0b-1c2d3e4f5a6b';
    const csv = `id,uri,name,alt_names,description,group\n${id},,${'n'.repeat(300)},,,\n`;
    const response = await http().post('/skill-mapping/skills/import').set(asAdmin()).send({ format: 'csv', content: csv });
    expect(response.status).toBe(200);
    expect(response.body.created).toBe(0);
    expect(response.body.rejected).toEqual([{ row: 2, reason: expect.stringContaining('255') }]);
  });

  it('searches names and alternative names', async () => {
    const response = await http().get('/skill-mapping/skills/search').query({ q: skillA.name.slice(0, 6) }).set(asAdmin());
    expect(response.status).toBe(200);
    expect(response.body.results.map((skill: any) => skill.skill_id)).toContain(skillA.id);
  });

  it('looks skills up by id', async () => {
    const response = await http().get('/skill-mapping/skills/search').query({ ids: `${skillA.id},${skillB.id}` }).set(asAdmin());
    expect(response.body.results.map((skill: any) => skill.skill_id).sort()).toEqual([skillA.id, skillB.id].sort());
  });

  it('pages the catalog', async () => {
    const response = await http().get('/skill-mapping/skills').query({ page: 2, pageSize: 50 }).set(asAdmin());
    expect(response.body.pagination).toEqual({ page: 2, pageSize: 50, total: 200, pageCount: 4 });
    expect(response.body.results).toHaveLength(50);
  });

  it('rejects anonymous and unprivileged admins', async () => {
    expect((await http().get('/skill-mapping/skills/search')).status).toBe(401);
    const response = await http().post('/skill-mapping/skills/import').set(asAdmin(editor)).send({ format: 'csv', content: readSubsetCsv() });
    expect(response.status).toBe(403);
  });

  it('config reports canTag per role', async () => {
    expect((await http().get('/skill-mapping/config').set(asAdmin())).body).toMatchObject({ canTag: true, defaultProficiency: 'intermediate' });
    expect((await http().get('/skill-mapping/config').set(asAdmin(editor))).body.canTag).toBe(false);
  });
});

describe('content manager', () => {
  const url = '/content-manager/collection-types/api::course.course?locale=en';

  it('fills skill names for an admin who may tag', async () => {
    const response = await http().post(url).set(asAdmin()).send({ title: 'From the admin', skill_tags: [tag(skillA, { skill_name: 'typed by hand' })] });
    expect(response.status).toBe(201);
    expect(response.body.data.skill_tags).toEqual([{ skill_id: skillA.id, skill_name: skillA.name, confidence: 1 }]);
  });
});

describe('tag permission', () => {
  // The admin's request context as Strapi's admin auth sets it, with the role's real ability.
  async function asAdminUser(email: string, work: () => Promise<unknown>) {
    const user = await booted.strapi.db.query('admin::user').findOne({ where: { email }, populate: ['roles'] });
    const userAbility = await booted.strapi.service('admin::permission').engine.generateUserAbility(user);
    const context = { state: { auth: { strategy: { name: 'admin' } }, user, userAbility } };
    return booted.strapi.requestContext.run(context as any, work as () => Promise<any>);
  }

  it('rejects tag changes without content.tag', async () => {
    const error = await asAdminUser('eddie@example.com', () => courses(booted.strapi).create({ data: { title: 'Editor course', skill_tags: [tag(skillA)] } })).then(
      () => null,
      (caught: any) => caught,
    );
    expect(error?.name).toBe('PolicyError');
    expect(error.details.code).toBe('SKILL_TAGS_FORBIDDEN');
  });

  it('keeps the SKILL_TAGS_FORBIDDEN code and message in the Content Manager 403', async () => {
    const response = await http()
      .post('/content-manager/collection-types/api::course.course')
      .set(asAdmin(editor))
      .send({ title: 'Editor course over HTTP', skill_tags: [tag(skillA)] });
    expect(response.status).toBe(403);
    expect(response.body.error.details.code).toBe('SKILL_TAGS_FORBIDDEN');
    expect(response.body.error.message).toContain('Tag content');
  });

  it('lets a role without content.tag save other fields', async () => {
    const doc: any = await asAdminUser('eddie@example.com', () => courses(booted.strapi).create({ data: { title: 'Editor course' } }));
    expect(doc.documentId).toBeTruthy();
    expect(doc.skill_tags).toBeNull();
  });

  it('records the admin in the audit row', async () => {
    const doc: any = await asAdminUser('ada@example.com', () => courses(booted.strapi).create({ data: { title: 'Admin course', skill_tags: [tag(skillB)] } }));
    const audit = await http().get('/skill-mapping/audit').query({ content_id: doc.documentId }).set(asAdmin());
    expect(audit.body.results[0].user).toMatchObject({ email: 'ada@example.com', firstname: 'Ada' });
  });
});

describe('plugin tables in the Content Manager', () => {
  it.each(['endpoint', 'outbox', 'delivery', 'audit', 'change', 'content-state', 'skill'])('hides plugin::skill-mapping.%s from its API, even for a super admin', async (name) => {
    for (const uid of [`plugin::skill-mapping.${name}`, encodeURIComponent(`plugin::skill-mapping.${name}`)]) {
      const response = await http().get(`/content-manager/collection-types/${uid}`).set(asAdmin());
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('secret_encrypted');
    }
  });

  it('still serves the content types of the app', async () => {
    const response = await http().get('/content-manager/collection-types/api::course.course').set(asAdmin());
    expect(response.status).toBe(200);
  });
});

describe('admin endpoints API', () => {
  it('refuses plain http to a host not listed', async () => {
    const response = await http().post('/skill-mapping/endpoints').set(asAdmin()).send({ url: 'http://receiver.invalid/hooks', event_types: [], content_types: [], enabled: true });
    expect(response.status).toBe(400);
    expect(response.body.error.details.code).toBe('ENDPOINT_URL_REJECTED');
    expect(response.body.error.message).toContain('https');
  });

  it.each([['private', 'https://10.1.2.3/hooks'], ['link-local', 'https://169.254.169.254/latest'], ['private IPv6', 'https://[fd00::1]/hooks']])(
    'refuses a %s address',
    async (_kind, url) => {
      const response = await http().post('/skill-mapping/endpoints').set(asAdmin()).send({ url, event_types: [], content_types: [], enabled: true });
      expect(response.status).toBe(400);
      expect(response.body.error.details.code).toBe('ENDPOINT_URL_REJECTED');
      expect(response.body.error.message).toContain('allowedHosts');
    },
  );

  it('refuses a URL longer than the column with a clear code', async () => {
    const url = `${receiver.url}?${'q'.repeat(300)}`;
    const response = await http().post('/skill-mapping/endpoints').set(asAdmin()).send({ url, event_types: [], content_types: [], enabled: true });
    expect(response.status).toBe(400);
    expect(response.body.error.details.code).toBe('ENDPOINT_URL_TOO_LONG');
    expect(response.body.error.message).toContain('255');
  });

  it('answers 404 to replay-dead for an unknown endpoint', async () => {
    const response = await http().post('/skill-mapping/deliveries/replay-dead').set(asAdmin()).send({ endpoint_id: 987654 });
    expect(response.status).toBe(404);
    expect(response.body.error.details.code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('creates an endpoint with a secret given by deploy tooling', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const created = await http().post('/skill-mapping/endpoints').set(asAdmin()).send({ url: receiver.url, event_types: [], content_types: [], enabled: false, secret });
    expect(created.status).toBe(201);
    expect(created.body.endpoint.secret_hint).toBe(secret.slice(-4));
    receiver.secrets = [secret];
    const tested = await http().post(`/skill-mapping/endpoints/${created.body.endpoint.id}/test`).set(asAdmin());
    expect(tested.body.status).toBe(200);
    expect(receiver.events[receiver.events.length - 1]!.verified).toBe(true);
    await http().delete(`/skill-mapping/endpoints/${created.body.endpoint.id}`).set(asAdmin());

    const rejected = await http().post('/skill-mapping/endpoints').set(asAdmin()).send({ url: receiver.url, event_types: [], content_types: [], enabled: true, secret: 'whsec_short' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.details.code).toBe('ENDPOINT_SECRET_INVALID');
    expect(JSON.stringify(rejected.body)).not.toContain('whsec_short');
  });

  it('creates, lists, tests and rotates an endpoint', async () => {
    const created = await http().post('/skill-mapping/endpoints').set(asAdmin()).send({ url: receiver.url, event_types: [], content_types: ['api::course.course'], enabled: true });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    receiver.secrets = [created.body.secret];
    const id = created.body.endpoint.id;

    const list = await http().get('/skill-mapping/endpoints').set(asAdmin());
    expect(list.body.results[0].secret_hint).toBe(created.body.secret.slice(-4));
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    const stored = await booted.strapi.db.connection('skill_mapping_endpoints').where({ id }).first();
    expect(stored.secret_encrypted).not.toContain(created.body.secret.slice(6));

    const test = await http().post(`/skill-mapping/endpoints/${id}/test`).set(asAdmin());
    expect(test.body.status).toBe(200);
    expect(receiver.events.at(-1)!.verified).toBe(true);
    expect(receiver.events.at(-1)!.body.event_type).toBe('endpoint.test');

    const rotated = await http().post(`/skill-mapping/endpoints/${id}/rotate-secret`).set(asAdmin()).send({ rotation_window_hours: 1 });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    receiver.secrets = [rotated.body.secret];
    await http().post(`/skill-mapping/endpoints/${id}/test`).set(asAdmin());
    const signatures = receiver.events.at(-1)!.headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    expect(receiver.events.at(-1)!.verified).toBe(true);
  });

  it('hides endpoints from admins without the permission', async () => {
    expect((await http().get('/skill-mapping/endpoints').set(asAdmin(editor))).status).toBe(403);
  });
});

describe('pull API', () => {
  let documentId: string;
  let readOnly: string;
  let tagger: string;

  beforeAll(async () => {
    readOnly = await apiToken(booted.strapi, 'reader', 'read-only');
    tagger = await apiToken(booted.strapi, 'tagger', 'custom', ['plugin::skill-mapping.tagging.update']);
    for (let index = 0; index < 5; index++) {
      const doc = await courses(booted.strapi).create({ data: { title: `Course ${index}`, skill_tags: [tag(skillA)] } });
      await courses(booted.strapi).publish({ documentId: doc.documentId });
      documentId = doc.documentId;
    }
  });

  it('needs a token', async () => {
    const response = await http().get('/api/skill-mapping/content/changes');
    expect([401, 403]).toContain(response.status);
  });

  it('serves a read-only token', async () => {
    const response = await http().get('/api/skill-mapping/content/changes').set('Authorization', `Bearer ${readOnly}`);
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(5);
    expect(response.body.has_more).toBe(false);
    expect(response.body.items[0]).toMatchObject({ op: 'create', metadata_version: 1, locale: 'en' });
  });

  it('pages match the shared schema', async () => {
    const auth = { Authorization: `Bearer ${readOnly}` };
    const changes = await http().get('/api/skill-mapping/content/changes').set(auth);
    expect(ChangesPage.safeParse(changes.body).error).toBeUndefined();
    const content = await http().get('/api/skill-mapping/content').set(auth);
    expect(ContentPage.safeParse(content.body).error).toBeUndefined();
    const skills = await http().get('/api/skill-mapping/skills').set(auth);
    expect(SkillsPage.safeParse(skills.body).error).toBeUndefined();
  });

  it('rejects a token of another scope', async () => {
    const response = await http().get('/api/skill-mapping/content/changes').set('Authorization', `Bearer ${tagger}`);
    expect(response.status).toBe(403);
  });

  it('pages ties completely', async () => {
    // Every change gets one timestamp, so only the sequence number can order them.
    await booted.strapi.db.connection('skill_mapping_changes').update({ changed_ms: Date.parse('2026-01-01T00:00:00Z') + 1e12 });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const response = await http().get('/api/skill-mapping/content/changes').query({ limit: 2, ...(cursor ? { cursor } : {}) }).set('Authorization', `Bearer ${readOnly}`);
      seen.push(...response.body.items.map((item: any) => item.content_id));
      cursor = response.body.cursor;
      if (!response.body.has_more) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const after = await http().get('/api/skill-mapping/content/changes').query({ cursor }).set('Authorization', `Bearer ${readOnly}`);
    expect(after.body.items).toEqual([]);
  });

  it('rejects a bad cursor and limit', async () => {
    const cursor = await http().get('/api/skill-mapping/content/changes').query({ cursor: 'not a cursor' }).set('Authorization', `Bearer ${readOnly}`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.details.code).toBe('CURSOR_INVALID');
    const limit = await http().get('/api/skill-mapping/content/changes').query({ limit: 501 }).set('Authorization', `Bearer ${readOnly}`);
    expect(limit.status).toBe(400);
    expect(limit.body.error.details.code).toBe('LIMIT_OUT_OF_RANGE');
    expect(limit.body.error.message).toContain('1 to 500');
    const word = await http().get('/api/skill-mapping/content/changes').query({ limit: 'abc' }).set('Authorization', `Bearer ${readOnly}`);
    expect(word.status).toBe(400);
    expect(word.body.error.details.code).toBe('LIMIT_OUT_OF_RANGE');
    expect(word.body.error.message).toContain('not an integer');
  });

  it('rejects a publish flag that is not a boolean', async () => {
    const response = await http()
      .put(`/api/skill-mapping/content/${documentId}/tags`)
      .set('Authorization', `Bearer ${tagger}`)
      .send({ content_type: 'api::course.course', skill_tags: [], publish: 'true' });
    expect(response.status).toBe(400);
    expect(response.body.error.details.code).toBe('TAGS_PUBLISH_INVALID');
  });

  it('serves current state pages and items', async () => {
    const page = await http().get('/api/skill-mapping/content').query({ limit: 3 }).set('Authorization', `Bearer ${readOnly}`);
    expect(page.body.items).toHaveLength(3);
    expect(page.body.has_more).toBe(true);
    const rest = await http().get('/api/skill-mapping/content').query({ cursor: page.body.cursor }).set('Authorization', `Bearer ${readOnly}`);
    expect(rest.body.items).toHaveLength(2);

    const item = await http().get(`/api/skill-mapping/content/${documentId}`).set('Authorization', `Bearer ${readOnly}`);
    expect(item.body).toMatchObject({ content_id: documentId, title: 'Course 4', deleted: false, skill_tags: [{ skill_id: skillA.id, skill_name: skillA.name }] });
    const missing = await http().get('/api/skill-mapping/content/nope').set('Authorization', `Bearer ${readOnly}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.code).toBe('CONTENT_NOT_FOUND');
  });

  it('compresses pages for clients that accept it', async () => {
    const response = await http().get('/api/skill-mapping/skills').query({ limit: 100 }).set('Authorization', `Bearer ${readOnly}`).set('Accept-Encoding', 'gzip');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.body.items).toHaveLength(100);
  });

  it('pages the skill catalog', async () => {
    const response = await http().get('/api/skill-mapping/skills').query({ limit: 150 }).set('Authorization', `Bearer ${readOnly}`);
    expect(response.body.items).toHaveLength(150);
    const rest = await http().get('/api/skill-mapping/skills').query({ cursor: response.body.cursor, limit: 150 }).set('Authorization', `Bearer ${readOnly}`);
    expect(rest.body.items).toHaveLength(50);
    expect(rest.body.has_more).toBe(false);
  });

  it('tagging token replaces ai tags and keeps editor tags', async () => {
    const body = { content_type: 'api::course.course', skill_tags: [tag(skillB, { confidence: 0.8 }), tag(skillC, { confidence: 0.6 })] };
    const first = await http().put(`/api/skill-mapping/content/${documentId}/tags`).set('Authorization', `Bearer ${tagger}`).send(body);
    expect(first.status).toBe(200);
    const second = await http()
      .put(`/api/skill-mapping/content/${documentId}/tags`)
      .set('Authorization', `Bearer ${tagger}`)
      .send({ ...body, skill_tags: [tag(skillD, { confidence: 0.7 })] });
    expect(second.body.skill_tags.map((t: any) => [t.skill_id, t.source ?? 'editor'])).toEqual([
      [skillA.id, 'editor'],
      [skillD.id, 'ai'],
    ]);
    expect(second.body.published).toBe(false);
  });

  it('tagging token without publish right cannot publish', async () => {
    const response = await http()
      .put(`/api/skill-mapping/content/${documentId}/tags`)
      .set('Authorization', `Bearer ${tagger}`)
      .send({ content_type: 'api::course.course', skill_tags: [], publish: true });
    expect(response.status).toBe(403);
    expect(response.body.error.details.code).toBe('TAGS_PUBLISH_FORBIDDEN');
  });

  it('full-access token publishes with the tags', async () => {
    const full = await apiToken(booted.strapi, 'full', 'full-access');
    const response = await http()
      .put(`/api/skill-mapping/content/${documentId}/tags`)
      .set('Authorization', `Bearer ${full}`)
      .send({ content_type: 'api::course.course', skill_tags: [tag(skillC, { confidence: 0.9 })], publish: true });
    expect(response.status).toBe(200);
    const published = await courses(booted.strapi).findOne({ documentId, status: 'published' });
    expect(published.skill_tags.map((t: any) => t.skill_id)).toEqual([skillA.id, skillC.id]);
  });

  it('read-only token cannot write tags', async () => {
    const response = await http().put(`/api/skill-mapping/content/${documentId}/tags`).set('Authorization', `Bearer ${readOnly}`).send({ content_type: 'api::course.course', skill_tags: [] });
    expect(response.status).toBe(403);
  });

  it('rejects bad tags over HTTP with issues', async () => {
    const response = await http()
      .put(`/api/skill-mapping/content/${documentId}/tags`)
      .set('Authorization', `Bearer ${tagger}`)
      .send({ content_type: 'api::course.course', skill_tags: [{ skill_id: skillB.id, confidence: 1.5 }] });
    expect(response.status).toBe(400);
    expect(response.body.error.details.code).toBe('SKILL_TAGS_INVALID');
    expect(response.body.error.details.issues[0].path).toBe('skill_tags.0.confidence');
  });

  it('reports an unknown skill at its request index', async () => {
    const response = await http()
      .put(`/api/skill-mapping/content/${documentId}/tags`)
      .set('Authorization', `Bearer ${tagger}`)
      .send({ content_type: 'api::course.course', skill_tags: [tag(skillB), { skill_id: '00000000-0000-4000-8000-000000000000', confidence: 0.5 }] });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toEqual([expect.objectContaining({ path: 'skill_tags.1.skill_id', code: 'SKILL_NOT_FOUND' })]);
  });
});

describe('skill deprecation', () => {
  it('refuses to delete a skill in use', async () => {
    const row = await booted.strapi.db.query('plugin::skill-mapping.skill' as any).findOne({ where: { skill_id: skillA.id } });
    const error = await booted.strapi
      .documents('plugin::skill-mapping.skill' as any)
      .delete({ documentId: row.documentId })
      .then(() => null, (caught: any) => caught);
    expect(error?.details?.code).toBe('SKILL_IN_USE');
    expect(error.message).toMatch(/used by \d+ content item/);
  });

  it('supersede leaves unreviewed draft edits unpublished', async () => {
    const [oldSkill, newSkill] = subsetSkills(8).slice(6);
    const doc = await courses(booted.strapi).create({ data: { title: 'Reviewed title', skill_tags: [tag(oldSkill!)] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    await courses(booted.strapi).update({ documentId: doc.documentId, data: { title: 'Unreviewed title' } });

    const response = await http().post(`/skill-mapping/skills/${oldSkill!.id}/deprecate`).set(asAdmin()).send({ reason: 'merged', superseded_by: newSkill!.id });
    expect(response.status).toBe(200);

    const published = await courses(booted.strapi).findOne({ documentId: doc.documentId, status: 'published' });
    const draft = await courses(booted.strapi).findOne({ documentId: doc.documentId, status: 'draft' });
    expect(published.title).toBe('Reviewed title');
    expect(draft.title).toBe('Unreviewed title');
    expect(published.skill_tags).toEqual([{ skill_id: newSkill!.id, skill_name: newSkill!.name, confidence: 1 }]);
    expect(draft.skill_tags).toEqual([{ skill_id: newSkill!.id, skill_name: newSkill!.name, confidence: 1 }]);

    const { items } = await pluginServices(booted.strapi).feed.changes({ limit: '500' });
    const mine = items.filter((item: any) => item.content_id === doc.documentId);
    expect(mine.map((item: any) => item.metadata_version)).toEqual([1, 2]);
  });

  it('supersede rewrites tagged items to the successor', async () => {
    const response = await http().post(`/skill-mapping/skills/${skillA.id}/deprecate`).set(asAdmin()).send({ reason: 'merged', superseded_by: skillB.id });
    expect(response.status).toBe(200);
    expect(response.body.skill).toMatchObject({ status: 'deprecated', superseded_by: skillB.id, superseded_by_name: skillB.name, version: 2 });
    // Five courses of the pull API tests and one of the content manager tests use skill A.
    expect(response.body.rewritten).toBe(6);

    await pluginServices(booted.strapi).deliveries.drain();
    const events = receiver.delivered().map((event) => event.body.event_type);
    expect(events).toContain('skill.deprecated');
    expect(events.filter((type) => type === 'content.tag.updated').length).toBeGreaterThanOrEqual(5);
    const state = await http().get('/api/skill-mapping/content').set('Authorization', `Bearer ${await apiToken(booted.strapi, 'reader2', 'read-only')}`);
    for (const item of state.body.items) {
      expect(item.skill_tags.map((t: any) => t.skill_id)).not.toContain(skillA.id);
    }
  });

  it('a deprecated skill cannot be newly tagged', async () => {
    const error = await courses(booted.strapi)
      .create({ data: { title: 'Late', skill_tags: [tag(skillA)] } })
      .then(() => null, (caught: any) => caught);
    expect(error.details.issues[0].code).toBe('SKILL_DEPRECATED');
    expect(error.details.issues[0].message).toContain(skillB.id);
  });

  it('renaming through import emits skill.updated', async () => {
    const csv = `id,uri,name,alt_names,description,group\n${skillC.id},,${skillC.name} (renamed),,,\n`;
    const response = await http().post('/skill-mapping/skills/import').set(asAdmin()).send({ format: 'csv', content: csv });
    expect(response.body.updated).toBe(1);
    await receiver.waitFor(() => receiver.delivered().some((event) => event.body.event_type === 'skill.updated'));
    const event = receiver.delivered().find((e) => e.body.event_type === 'skill.updated')!;
    expect(event.body.data).toMatchObject({ skill_id: skillC.id, name: `${skillC.name} (renamed)`, version: 2 });
  });
});

describe('audit', () => {
  it('lists changes and withdraws a tag', async () => {
    const doc = await courses(booted.strapi).create({ data: { title: 'Withdraw me', skill_tags: [tag(skillB), tag(skillD)] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });

    const audit = await http().get('/skill-mapping/audit').query({ content_id: doc.documentId }).set(asAdmin());
    expect(audit.body.results.length).toBeGreaterThanOrEqual(2);

    const withdraw = await http()
      .post('/skill-mapping/audit/withdraw')
      .set(asAdmin())
      .send({ content_type: 'api::course.course', content_id: doc.documentId, locale: 'en', skill_id: skillD.id, reason: 'wrong skill' });
    expect(withdraw.status).toBe(200);
    expect(withdraw.body.metadata_version).toBe(2);
    await receiver.waitFor(() => receiver.delivered().some((event) => event.body.event_type === 'content.tag.deprecated'));
    const published = await courses(booted.strapi).findOne({ documentId: doc.documentId, status: 'published' });
    expect(published.skill_tags.map((t: any) => t.skill_id)).toEqual([skillB.id]);
    const after = await http().get('/skill-mapping/audit').query({ content_id: doc.documentId }).set(asAdmin());
    expect(after.body.results[0]).toMatchObject({ action: 'withdraw', user: { email: 'ada@example.com' } });
  });

  it('sent events match the shared schema', () => {
    const types = new Set(receiver.delivered().map((event) => event.body.event_type));
    expect([...types].sort()).toEqual(['content.tag.deprecated', 'content.tag.updated', 'endpoint.test', 'skill.deprecated', 'skill.updated']);
    for (const event of receiver.delivered()) {
      expect(parseEvent(event.body)).toEqual(expect.objectContaining({ ok: true }));
    }
  });

  it('lists content types with the field', async () => {
    const response = await http().get('/skill-mapping/content-types').set(asAdmin());
    expect(response.body.results).toEqual([{ uid: 'api::course.course', displayName: 'Course', fields: ['skill_tags'] }]);
  });
});

// Last in the file: it adds a course, which the counts of the pull API tests above do not expect.
describe('content state after a write behind the plugin', () => {
  let reader: string;

  beforeAll(async () => {
    reader = await apiToken(booted.strapi, 'reconciler', 'read-only');
  });

  it('content reads the published rows', async () => {
    const doc = await courses(booted.strapi).create({ data: { title: 'Written by SQL later', skill_tags: [tag(skillB)] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    const before = await http().get(`/api/skill-mapping/content/${doc.documentId}`).set('Authorization', `Bearer ${reader}`);

    const meta = booted.strapi.db.metadata.get(COURSE as any);
    await booted.strapi.db
      .connection(meta.tableName)
      .where({ document_id: doc.documentId })
      .whereNotNull('published_at')
      .update({ title: 'Renamed by SQL', skill_tags: JSON.stringify([{ skill_id: skillD.id, confidence: 0.6 }]) });

    const item = await http().get(`/api/skill-mapping/content/${doc.documentId}`).set('Authorization', `Bearer ${reader}`);
    expect(item.status).toBe(200);
    expect(item.body.title).toBe('Renamed by SQL');
    expect(item.body.skill_tags).toEqual([{ skill_id: skillD.id, skill_name: skillD.name, confidence: 0.6 }]);
    expect(item.body.metadata_version).toBe(before.body.metadata_version);

    const page = await http().get('/api/skill-mapping/content').query({ limit: 500 }).set('Authorization', `Bearer ${reader}`);
    const listed = page.body.items.find((entry: any) => entry.content_id === doc.documentId);
    expect(listed.skill_tags.map((entry: any) => entry.skill_id)).toEqual([skillD.id]);
    expect(listed.title).toBe('Renamed by SQL');
    await courses(booted.strapi).delete({ documentId: doc.documentId });
  });
});
