import { parseEvent } from '@skill-mapping/shared-schema';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { TestReceiver } from '../helpers/receiver';
import { readSubsetCsv, subsetSkills } from '../helpers/catalog';
import { COURSE, courses, pluginServices, tableCounts } from '../helpers/plugin';

let booted: BootedStrapi;
let receiver: TestReceiver;
const [skillA, skillB, skillC] = subsetSkills(3);
const TITLE = 'Café déjà vu: 中文课程 🎓';

beforeAll(async () => {
  booted = await bootStrapi('lifecycle');
  const services = pluginServices(booted.strapi);
  await services.catalog.import('csv', readSubsetCsv());
  receiver = new TestReceiver();
  const url = await receiver.start();
  const { secret } = await services.endpoints.create({ url, event_types: [], content_types: [], enabled: true });
  receiver.secrets = [secret];
  await booted.strapi.plugin('i18n').service('locales').create({ code: 'fr', name: 'French (fr)' });
});

afterAll(async () => {
  await booted?.close();
  await receiver?.stop();
});

const tag = (skill: { id: string }, extra: Record<string, unknown> = {}) => ({ skill_id: skill.id, confidence: 1, proficiency: 'intermediate', ...extra });

async function feedItems(contentId: string) {
  const page = await pluginServices(booted.strapi).feed.changes({ limit: '500' });
  return page.items.filter((item: any) => item.content_id === contentId);
}

async function eventsFor(contentId: string, count: number) {
  await receiver.waitFor(() => receiver.delivered().filter((event) => event.body?.data?.content_id === contentId).length >= count);
  return receiver.delivered().filter((event) => event.body?.data?.content_id === contentId);
}

describe('course lifecycle', () => {
  let documentId: string;

  it('draft save writes audit only', async () => {
    const before = await tableCounts(booted.strapi);
    const doc = await courses(booted.strapi).create({ data: { title: TITLE, skill_tags: [tag(skillA, { skill_name: 'client name is ignored' })] } });
    documentId = doc.documentId;

    const after = await tableCounts(booted.strapi);
    expect(after.audit).toBe(before.audit + 1);
    expect(after.change).toBe(before.change);
    expect(after.outbox).toBe(before.outbox);
    expect(doc.skill_tags).toEqual([{ skill_id: skillA.id, skill_name: skillA.name, confidence: 1, proficiency: 'intermediate' }]);
  });

  it('publish emits one signed content.tag.updated', async () => {
    await courses(booted.strapi).publish({ documentId });

    const [event] = await eventsFor(documentId, 1);
    expect(event.verified).toBe(true);
    expect(event.body.event_type).toBe('content.tag.updated');
    expect(event.body.schema_version).toBe(1);
    expect(event.body.data.title).toBe(TITLE);
    expect(event.raw.equals(Buffer.from(JSON.stringify(event.body), 'utf8'))).toBe(true);
    expect(event.raw.toString('utf8')).toContain('中文课程 🎓');
    expect(event.body.data.metadata_version).toBe(1);
    expect(event.body.data.locale).toBe('en');
    expect(event.body.data.changes).toEqual({ added: [skillA.id], removed: [] });
    expect(event.headers['webhook-id']).toBe(event.body.event_id);
    expect(event.headers['ce-specversion']).toBe('1.0');
    expect(event.headers['ce-type']).toBe('content.tag.updated');
    expect(event.headers['ce-id']).toBe(event.body.event_id);
    expect((await feedItems(documentId)).map((item: any) => item.op)).toEqual(['create']);
  });

  it('publish after edit emits exactly one event', async () => {
    await courses(booted.strapi).update({ documentId, data: { skill_tags: [tag(skillA), tag(skillB, { proficiency: 'advanced' })] } });
    await courses(booted.strapi).publish({ documentId });

    const events = await eventsFor(documentId, 2);
    expect(events).toHaveLength(2);
    expect(events[1].body.data.metadata_version).toBe(2);
    expect(events[1].body.data.changes).toEqual({ added: [skillB.id], removed: [] });
    expect((await feedItems(documentId)).map((item: any) => item.op)).toEqual(['create', 'update']);
  });

  it('save without tag change emits nothing', async () => {
    const before = await tableCounts(booted.strapi);
    await courses(booted.strapi).update({ documentId, data: { title: `${TITLE} (2nd edition)` } });
    await courses(booted.strapi).publish({ documentId });

    expect(await tableCounts(booted.strapi)).toEqual(before);
  });

  it('unpublish then publish gives delete then create', async () => {
    await courses(booted.strapi).unpublish({ documentId });
    await courses(booted.strapi).publish({ documentId });

    const events = await eventsFor(documentId, 4);
    expect(events[2].body.event_type).toBe('content.deleted');
    expect(events[2].body.data).toMatchObject({ reason: 'unpublished', metadata_version: 3 });
    expect(events[3].body.event_type).toBe('content.tag.updated');
    expect(events[3].body.data.metadata_version).toBe(4);
    expect((await feedItems(documentId)).map((item: any) => item.op)).toEqual(['create', 'update', 'delete', 'create']);
  });

  it('locale variant emits per locale', async () => {
    await courses(booted.strapi).update({ documentId, locale: 'fr', data: { title: 'Cours en français', skill_tags: [tag(skillC)] } });
    await courses(booted.strapi).publish({ documentId, locale: 'fr' });

    const events = await eventsFor(documentId, 5);
    expect(events[4].body.data).toMatchObject({ locale: 'fr', metadata_version: 5, title: 'Cours en français' });
  });

  it('delete emits one content.deleted per locale', async () => {
    await courses(booted.strapi).delete({ documentId, locale: '*' });

    const events = await eventsFor(documentId, 7);
    const deleted = events.slice(5);
    expect(deleted.map((event) => event.body.event_type)).toEqual(['content.deleted', 'content.deleted']);
    expect(deleted.map((event) => event.body.data.locale).sort()).toEqual(['en', 'fr']);
    expect(deleted.every((event) => event.body.data.reason === 'deleted')).toBe(true);
    expect(deleted.map((event) => event.body.data.metadata_version).sort()).toEqual([6, 7]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.delivered().filter((event) => event.body?.data?.content_id === documentId)).toHaveLength(7);
  });

  it('every event matches the shared schema', () => {
    const events = receiver.delivered();
    expect(events.length).toBeGreaterThanOrEqual(7);
    for (const event of events) {
      const result = parseEvent(event.body);
      expect(result).toEqual(expect.objectContaining({ ok: true }));
    }
  });

  it('untagged item emits nothing', async () => {
    const before = await tableCounts(booted.strapi);
    const doc = await courses(booted.strapi).create({ data: { title: 'No skills here' } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    await courses(booted.strapi).delete({ documentId: doc.documentId });

    expect(await tableCounts(booted.strapi)).toEqual(before);
  });
});

describe('tag order', () => {
  it('reordering the same tags writes and emits nothing', async () => {
    const doc = await courses(booted.strapi).create({ data: { title: 'Reordered', skill_tags: [tag(skillA), tag(skillB, { confidence: 0.8 })] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    const before = await tableCounts(booted.strapi);

    await courses(booted.strapi).update({ documentId: doc.documentId, data: { skill_tags: [tag(skillB, { confidence: 0.8 }), tag(skillA)] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    expect(await tableCounts(booted.strapi)).toEqual(before);

    await courses(booted.strapi).update({ documentId: doc.documentId, data: { skill_tags: [tag(skillB, { confidence: 0.9 }), tag(skillA)] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    expect((await tableCounts(booted.strapi)).change).toBe(before.change + 1);
  });
});

describe('entry to canonical mapping', () => {
  it('keeps every canonical field and drops the rest', async () => {
    const doc = await courses(booted.strapi).create({
      data: {
        title: 'Mapping check',
        description: 'not part of the canonical model',
        subject: 'dropped on purpose',
        url: 'https://example.org/course',
        skill_tags: [
          { skill_id: skillA.id, skill_name: 'ignored', confidence: 1, proficiency: 'expert', source: 'editor', note: 'unknown key' },
          { skill_id: skillB.id, confidence: 0.42, source: 'ai' },
        ],
      },
    });
    await courses(booted.strapi).publish({ documentId: doc.documentId });

    const [event] = await eventsFor(doc.documentId, 1);
    expect(event.body.data).toEqual({
      content_id: doc.documentId,
      content_type: COURSE,
      locale: 'en',
      title: 'Mapping check',
      skill_tags: [
        { skill_id: skillA.id, skill_name: skillA.name, confidence: 1, proficiency: 'expert', source: 'editor' },
        { skill_id: skillB.id, skill_name: skillB.name, confidence: 0.42, source: 'ai' },
      ],
      metadata_version: 1,
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      deleted: false,
      changes: { added: [skillA.id, skillB.id], removed: [] },
    });
  });
});

describe('discard draft', () => {
  it('restores published tags without an event', async () => {
    const doc = await courses(booted.strapi).create({ data: { title: 'Discard', skill_tags: [tag(skillA)] } });
    await courses(booted.strapi).publish({ documentId: doc.documentId });
    await eventsFor(doc.documentId, 1);
    await courses(booted.strapi).update({ documentId: doc.documentId, data: { skill_tags: [tag(skillB)] } });
    const before = await tableCounts(booted.strapi);

    await courses(booted.strapi).discardDraft({ documentId: doc.documentId });

    const after = await tableCounts(booted.strapi);
    expect(after.audit).toBe(before.audit + 1);
    expect(after.change).toBe(before.change);
    expect(after.outbox).toBe(before.outbox);
    const draft = await courses(booted.strapi).findOne({ documentId: doc.documentId });
    expect(draft.skill_tags.map((t: any) => t.skill_id)).toEqual([skillA.id]);
  });
});

describe('clone', () => {
  it('records the new draft only', async () => {
    const source = await courses(booted.strapi).create({ data: { title: 'Source', skill_tags: [tag(skillA)] } });
    const before = await tableCounts(booted.strapi);

    const clone = await courses(booted.strapi).clone({ documentId: source.documentId, data: { title: 'Clone' } });

    const after = await tableCounts(booted.strapi);
    expect(clone.documentId).not.toBe(source.documentId);
    expect(after.audit).toBe(before.audit + 1);
    expect(after.outbox).toBe(before.outbox);
    const audit = await booted.strapi.db.connection('skill_mapping_audits').orderBy('id', 'desc').first();
    expect(audit.content_id).toBe(clone.documentId);
    expect(audit.action).toBe('clone');
  });
});

describe('transaction', () => {
  it('rollback after the write leaves no rows', async () => {
    const doc = await courses(booted.strapi).create({ data: { title: 'Rollback', skill_tags: [tag(skillA)] } });
    const before = await tableCounts(booted.strapi);

    await expect(
      booted.strapi.db.transaction(async () => {
        await courses(booted.strapi).update({ documentId: doc.documentId, data: { skill_tags: [tag(skillB)] } });
        await courses(booted.strapi).publish({ documentId: doc.documentId });
        throw new Error('forced failure after the content write');
      }),
    ).rejects.toThrow('forced failure');

    expect(await tableCounts(booted.strapi)).toEqual(before);
    const draft = await courses(booted.strapi).findOne({ documentId: doc.documentId });
    expect(draft.skill_tags.map((t: any) => t.skill_id)).toEqual([skillA.id]);
  });
});

describe('tag validation', () => {
  const cases: Array<[string, unknown, string]> = [
    ['unknown skill_id', [{ skill_id: '00000000-0000-4000-8000-000000000000', confidence: 1 }], 'SKILL_NOT_FOUND'],
    ['confidence above 1', [{ skill_id: skillA.id, confidence: 1.5 }], 'too_big'],
    ['count object shape', { count: 2 }, 'invalid_type'],
    ['duplicate skill', [tag(skillA), tag(skillA)], 'SKILL_DUPLICATE'],
  ];

  it.each(cases)('rejects %s', async (_name, value, issueCode) => {
    const before = await tableCounts(booted.strapi);
    const total = await courses(booted.strapi).count({});

    const error = await courses(booted.strapi)
      .create({ data: { title: 'Invalid tags', skill_tags: value } })
      .then(() => null, (caught: any) => caught);

    expect(error).not.toBeNull();
    expect(error.name).toBe('ValidationError');
    expect(error.details.code).toBe('SKILL_TAGS_INVALID');
    expect(error.details.issues.map((issue: any) => issue.code)).toContain(issueCode);
    expect(error.message).toMatch(/skill_tags/);
    expect(await tableCounts(booted.strapi)).toEqual(before);
    expect(await courses(booted.strapi).count({})).toBe(total);
  });
});

it('course content type carries the field', () => {
  expect((booted.strapi.contentTypes as any)[COURSE].attributes.skill_tags.customField).toBe('plugin::skill-mapping.skill-tags');
});
