'use strict';

const { describeWhenReady } = require('../helpers/requirements');
const { startTestStack } = require('../helpers/stack');
const { CmsClient, ConnectorClient } = require('../helpers/clients');
const { waitFor, readWholeFeed } = require('../helpers/http');

const PLANNED = [
  'tagged course reaches the connector',
  'edit deprecates the removed tag',
  'unpublish and publish again follow',
  'delete deprecates every link',
  'both feeds agree at the end',
];

const tagOf = (item, skillId) => item.skill_tags.find((tag) => tag.skill_id === skillId);

/** Latest (op, metadata_version) per content item and locale, from a feed's items. */
function latestPerItem(items) {
  const latest = new Map();
  for (const item of items) {
    const key = `${item.content_id}|${item.locale ?? ''}`;
    const seen = latest.get(key);
    if (!seen || item.metadata_version > seen.metadata_version) {
      latest.set(key, { metadata_version: item.metadata_version, deleted: item.op === 'delete' });
    }
  }
  return Object.fromEntries([...latest.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

describeWhenReady('sync loop over real processes', PLANNED, () => {
  let env;
  let cms;
  let connector;
  let course;
  let mappedA;
  let mappedB;
  let unmapped;

  beforeAll(async () => {
    env = await startTestStack('sync-loop');
    cms = new CmsClient(env.credentials);
    connector = new ConnectorClient(env.credentials);
    [mappedA, mappedB] = env.catalog.mapped;
    [unmapped] = env.catalog.unmapped;
    [course] = await cms.untaggedCourses(1);
  });

  afterAll(async () => {
    if (env) await env.stack.stop();
  });

  test('tagged course reaches the connector', async () => {
    await cms.setTags(course.documentId, [
      { skill_id: mappedA.skill_id, confidence: 1, proficiency: 'advanced', source: 'editor' },
      { skill_id: mappedB.skill_id, confidence: 0.72, source: 'ai' },
      { skill_id: unmapped.skill_id, confidence: 0.9, source: 'ai' },
    ]);

    const item = await waitFor('the tags in the connector', async () => {
      const state = await connector.content(course.documentId);
      return state && state.skill_tags.length === 3 ? state : null;
    });

    expect(item.content_id).toBe(course.documentId);
    expect(item.title).toBe(course.title);
    expect(item.deleted).toBe(false);

    const editorTag = tagOf(item, mappedA.skill_id);
    expect(editorTag.skill_name).toBe(mappedA.name);
    expect(editorTag.derived_proficiency).toBe('advanced');
    expect(editorTag.status).toBe('active');
    expect(editorTag.lms_competency_id).toBeTruthy();

    const aiTag = tagOf(item, mappedB.skill_id);
    expect(aiTag.confidence).toBe(0.72);
    expect(aiTag.derived_proficiency).toBe('intermediate');
    expect(aiTag.lms_competency_id).toBeTruthy();

    const unmappedTag = tagOf(item, unmapped.skill_id);
    expect(unmappedTag.derived_proficiency).toBe('advanced');
    expect(unmappedTag.lms_competency_id ?? null).toBeNull();

    const unmappedList = await connector.get('/mappings/unmapped');
    expect(unmappedList.status).toBe(200);
    expect(JSON.stringify(unmappedList.body)).toContain(unmapped.skill_id);
  });

  test('edit deprecates the removed tag', async () => {
    const before = await connector.content(course.documentId);

    await cms.setTags(course.documentId, [
      { skill_id: mappedA.skill_id, confidence: 1, proficiency: 'expert', source: 'editor' },
      { skill_id: unmapped.skill_id, confidence: 0.3, source: 'ai' },
    ]);

    const item = await waitFor('the edit in the connector', async () => {
      const state = await connector.content(course.documentId);
      return state.metadata_version > before.metadata_version ? state : null;
    });
    expect(tagOf(item, mappedA.skill_id).derived_proficiency).toBe('expert');
    expect(tagOf(item, mappedA.skill_id).status).toBe('active');
    // Confidence 0.3 is below the lowest band: kept with its confidence, not linked.
    expect(tagOf(item, unmapped.skill_id).derived_proficiency).toBeNull();
    const removed = tagOf(item, mappedB.skill_id);
    expect(removed).toBeDefined();
    expect(removed.status).toBe('deprecated');
  });

  test('unpublish and publish again follow', async () => {
    const before = await connector.content(course.documentId);

    await cms.unpublish(course.documentId);
    const unpublished = await waitFor('the unpublish in the connector', async () => {
      const state = await connector.content(course.documentId);
      return state.metadata_version > before.metadata_version ? state : null;
    });
    expect(unpublished.skill_tags.every((tag) => tag.status === 'deprecated')).toBe(true);

    await cms.setTags(course.documentId, [{ skill_id: mappedB.skill_id, confidence: 0.96, source: 'ai' }]);
    const republished = await waitFor('the new publish in the connector', async () => {
      const state = await connector.content(course.documentId);
      return state.metadata_version > unpublished.metadata_version ? state : null;
    });
    expect(republished.deleted).toBe(false);
    expect(tagOf(republished, mappedB.skill_id).status).toBe('active');
    expect(tagOf(republished, mappedB.skill_id).derived_proficiency).toBe('expert');
    expect(tagOf(republished, mappedA.skill_id).status).toBe('deprecated');
  });

  test('delete deprecates every link', async () => {
    const before = await connector.content(course.documentId);

    await cms.deleteCourse(course.documentId);
    const deleted = await waitFor('the delete in the connector', async () => {
      const state = await connector.content(course.documentId);
      return state.metadata_version > before.metadata_version ? state : null;
    });
    expect(deleted.deleted).toBe(true);
    expect(deleted.skill_tags.length).toBeGreaterThan(0);
    expect(deleted.skill_tags.every((tag) => tag.status === 'deprecated')).toBe(true);
  });

  test('both feeds agree at the end', async () => {
    const cmsFeed = await readWholeFeed(cms.pullUrl(), env.credentials.cms_api_token, 7);
    const connectorFeed = await readWholeFeed(env.credentials.connector_url, env.credentials.connector_key, 7);

    expect(cmsFeed.length).toBeGreaterThan(0);
    expect(latestPerItem(connectorFeed)).toEqual(latestPerItem(cmsFeed));
    expect(latestPerItem(cmsFeed)[`${course.documentId}|en`]).toEqual(expect.objectContaining({ deleted: true }));
  });
});
