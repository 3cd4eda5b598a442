import {
  ChangesPage,
  ContentPage,
  createEventParser,
  CURRENT_SCHEMA_VERSION,
  EVENT_TYPES,
  parseEvent,
  type Upcaster,
} from '../src';
import seed from './fixtures/seed-examples.json';

const SKILL_ID = '0d9e8f7a-6b5c-4d3e-9f1a-2b3c4d5e6f70';

function tagUpdated(overrides: Record<string, unknown> = {}, dataOverrides: Record<string, unknown> = {}) {
  return {
    event_id: '6f1c1f5e-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
    event_type: 'content.tag.updated',
    schema_version: 1,
    timestamp: '2026-08-01T12:00:00Z',
    source: 'cms',
    data: {
      content_id: 'course-101',
      content_type: 'api::course.course',
      locale: 'en',
      title: 'Intro to Data Analysis',
      skill_tags: [{ skill_id: SKILL_ID, skill_name: 'data analysis', confidence: 0.92, proficiency: 'intermediate' }],
      metadata_version: 3,
      updated_at: '2026-08-01T12:00:00Z',
      deleted: false,
      changes: { added: [SKILL_ID], removed: [] },
      ...dataOverrides,
    },
    ...overrides,
  };
}

function issuesOf(input: unknown) {
  const result = parseEvent(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.issues;
}

describe('seed examples', () => {
  test('webhook event parses as it is', () => {
    const result = parseEvent(seed.webhook_event);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.schema_version).toBe(1);
    expect(result.event.event_type).toBe('content.tag.updated');
  });

  test('changes page without has_more parses', () => {
    const page = ChangesPage.parse(seed.changes_response);
    expect(page.has_more).toBeUndefined();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.metadata_version).toBeUndefined();
  });
});

describe('parseEvent', () => {
  test('accepts every event type', () => {
    const data: Record<string, unknown> = {
      'content.tag.updated': tagUpdated().data,
      'content.tag.deprecated': { content_id: 'c1', skill_id: SKILL_ID, reason: 'wrong tag', metadata_version: 4 },
      'content.deleted': { content_id: 'c1', locale: 'fr', reason: 'unpublished', metadata_version: 5 },
      'skill.updated': { skill_id: SKILL_ID, name: 'data analysis', status: 'active', version: 2 },
      'skill.deprecated': { skill_id: SKILL_ID, superseded_by: null, reason: 'merged', version: 3 },
      'endpoint.test': {},
    };
    for (const type of EVENT_TYPES) {
      const result = parseEvent(tagUpdated({ event_type: type, data: data[type] }));
      expect({ type, ok: result.ok }).toEqual({ type, ok: true });
    }
  });

  test('keeps unknown fields', () => {
    const result = parseEvent(
      tagUpdated({ trace: { id: 'x' } }, { audience: 'adults', skill_tags: [{ skill_id: SKILL_ID, skill_name: 'a', confidence: 1, weight: 3 }] }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok || result.event.event_type !== 'content.tag.updated') return;
    expect((result.event as Record<string, unknown>).trace).toEqual({ id: 'x' });
    expect((result.event.data as Record<string, unknown>).audience).toBe('adults');
    expect((result.event.data.skill_tags[0] as Record<string, unknown>).weight).toBe(3);
  });

  test('missing schema_version means 1', () => {
    const event: Record<string, unknown> = tagUpdated();
    delete event.schema_version;
    const result = parseEvent(event);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.schema_version).toBe(1);
  });

  test('higher schema_version is unsupported', () => {
    expect(issuesOf(tagUpdated({ schema_version: CURRENT_SCHEMA_VERSION + 1 }))).toEqual([
      expect.objectContaining({ path: 'schema_version', code: 'SCHEMA_VERSION_UNSUPPORTED' }),
    ]);
  });

  test('unknown event type is named', () => {
    const [issue] = issuesOf(tagUpdated({ event_type: 'content.tag.exploded' }));
    expect(issue).toEqual(expect.objectContaining({ path: 'event_type', code: 'EVENT_TYPE_UNKNOWN' }));
    expect(issue!.message).toContain('content.tag.exploded');
  });

  test.each([
    ['not an object', 'hello', '', 'invalid_type'],
    ['array', [], '', 'invalid_type'],
    ['schema_version text', tagUpdated({ schema_version: 'one' }), 'schema_version', 'invalid_type'],
    ['schema_version zero', tagUpdated({ schema_version: 0 }), 'schema_version', 'invalid_type'],
    ['event_id not a uuid', tagUpdated({ event_id: 'abc' }), 'event_id', 'invalid_format'],
    ['timestamp not RFC 3339', tagUpdated({ timestamp: '01/08/2026' }), 'timestamp', 'invalid_format'],
    ['confidence 1.5', tagUpdated({}, { skill_tags: [{ skill_id: SKILL_ID, skill_name: 'x', confidence: 1.5 }] }), 'data.skill_tags.0.confidence', 'too_big'],
    ['confidence negative', tagUpdated({}, { skill_tags: [{ skill_id: SKILL_ID, skill_name: 'x', confidence: -0.1 }] }), 'data.skill_tags.0.confidence', 'too_small'],
    ['proficiency unknown', tagUpdated({}, { skill_tags: [{ skill_id: SKILL_ID, skill_name: 'x', confidence: 1, proficiency: 'guru' }] }), 'data.skill_tags.0.proficiency', 'invalid_value'],
    ['skill_tags as count', tagUpdated({}, { skill_tags: { count: 2 } }), 'data.skill_tags', 'invalid_type'],
    ['skill_id missing', tagUpdated({}, { skill_tags: [{ skill_name: 'x', confidence: 1 }] }), 'data.skill_tags.0.skill_id', 'invalid_type'],
    ['metadata_version zero', tagUpdated({}, { metadata_version: 0 }), 'data.metadata_version', 'too_small'],
    ['metadata_version fraction', tagUpdated({}, { metadata_version: 2.5 }), 'data.metadata_version', 'invalid_type'],
    ['metadata_version above 2^53-1', tagUpdated({}, { metadata_version: 2 ** 53 }), 'data.metadata_version', 'too_big'],
    ['content_id empty', tagUpdated({}, { content_id: '' }), 'data.content_id', 'too_small'],
    ['content_id too long', tagUpdated({}, { content_id: 'x'.repeat(256) }), 'data.content_id', 'too_big'],
    ['content_id control character', tagUpdated({}, { content_id: 'a\u0007b' }), 'data.content_id', 'custom'],
    ['deleted reason unknown', tagUpdated({ event_type: 'content.deleted', data: { content_id: 'c', reason: 'gone', metadata_version: 1 } }), 'data.reason', 'invalid_value'],
    ['skill version missing', tagUpdated({ event_type: 'skill.updated', data: { skill_id: SKILL_ID, name: 'x' } }), 'data.version', 'invalid_type'],
  ])('%s', (_label, input, path, code) => {
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ path, code }));
  });

  test('lists every issue at once', () => {
    const issues = issuesOf(
      tagUpdated({ event_id: 'abc', timestamp: 'yesterday' }, { metadata_version: -1, title: 7 }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['data.metadata_version', 'data.title', 'event_id', 'timestamp'].sort(),
    );
  });

  test('content_id of 255 characters is accepted', () => {
    expect(parseEvent(tagUpdated({}, { content_id: 'é'.repeat(255) })).ok).toBe(true);
  });
});

describe('upcaster registry', () => {
  const renameTitle: Upcaster = (event) => {
    const data = { ...(event.data as Record<string, unknown>) };
    data.title = data.headline;
    delete data.headline;
    return { ...event, data };
  };
  const parseV2 = createEventParser({ currentVersion: 2, upcasters: { 1: renameTitle } });

  test('upcasts an older event', () => {
    const old = tagUpdated({ schema_version: 1 }, { title: undefined, headline: 'Old name' });
    const result = parseV2(old);
    expect(result.ok).toBe(true);
    if (!result.ok || result.event.event_type !== 'content.tag.updated') return;
    expect(result.event.schema_version).toBe(2);
    expect(result.event.data.title).toBe('Old name');
  });

  test('missing upcaster is unsupported', () => {
    const parseV3 = createEventParser({ currentVersion: 3, upcasters: { 1: renameTitle } });
    const result = parseV3(tagUpdated({ schema_version: 1 }, { title: undefined, headline: 'x' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]!.code).toBe('SCHEMA_VERSION_UNSUPPORTED');
  });
});

describe('content page', () => {
  test('accepts a null cursor on the last page', () => {
    const page = ContentPage.parse({ cursor: null, has_more: false, items: [tagUpdated().data] });
    expect(page.items[0]!.content_id).toBe('course-101');
  });
});
