'use strict';

const path = require('node:path');
const Database = require('better-sqlite3');
const { describeWhenReady } = require('../helpers/requirements');
const { startTestStack } = require('../helpers/stack');
const { CmsClient, ConnectorClient } = require('../helpers/clients');
const { waitFor } = require('../helpers/http');

const PLANNED = [
  'full reconciliation repairs drift',
  'second full run finds nothing',
  'CMS row changed behind the plugin is repaired',
];

/** Runs `write` on a SQLite file another process has open; WAL mode and a busy timeout make it safe. */
function writeBehindTheBack(file, write) {
  const db = new Database(file, { timeout: 10_000 });
  try {
    return write(db);
  } finally {
    db.close();
  }
}

const activeSkillIds = (item) =>
  item.skill_tags
    .filter((tag) => tag.status === 'active')
    .map((tag) => tag.skill_id)
    .sort();

describeWhenReady('drift repaired by full reconciliation', PLANNED, () => {
  let env;
  let cms;
  let connector;
  let lostRow;
  let alteredRow;
  let untouched;
  let taggedSkillIds;

  beforeAll(async () => {
    env = await startTestStack('drift', { connectorEnv: { RECONCILE_INTERVAL_MS: '0' } });
    cms = new CmsClient(env.credentials);
    connector = new ConnectorClient(env.credentials);
    [lostRow, alteredRow, untouched] = await cms.untaggedCourses(3);

    const [first, second] = env.catalog.mapped;
    taggedSkillIds = [first.skill_id, second.skill_id].sort();
    for (const course of [lostRow, alteredRow, untouched]) {
      await cms.setTags(course.documentId, [
        { skill_id: first.skill_id, confidence: 0.9, source: 'ai' },
        { skill_id: second.skill_id, confidence: 1, proficiency: 'beginner', source: 'editor' },
      ]);
      await waitFor(`course ${course.documentId} in the connector`, async () => (await connector.content(course.documentId)) !== null);
    }

    // Drift made behind the connector's back, as after a bad restore or a manual edit: one item lost,
    // one item's links wrongly deprecated while its metadata_version stays the same.
    writeBehindTheBack(path.join(env.demoDir, 'connector.db'), (db) => {
      db.prepare('DELETE FROM content_tag WHERE content_id = ?').run(lostRow.documentId);
      db.prepare('DELETE FROM content_state WHERE content_id = ?').run(lostRow.documentId);
      const altered = db.prepare("UPDATE content_tag SET status = 'deprecated' WHERE content_id = ?").run(alteredRow.documentId).changes;
      expect(altered).toBe(2);
    });
    expect(await connector.content(lostRow.documentId)).toBeNull();
    expect(activeSkillIds(await connector.content(alteredRow.documentId))).toEqual([]);
  });

  afterAll(async () => {
    if (env) await env.stack.stop();
  });

  test('full reconciliation repairs drift', async () => {
    const counts = await connector.reconcile('full');

    // The lost item comes back as created; the altered one keeps its metadata_version, so its repair
    // counts as drift.
    expect(counts.created).toBe(1);
    expect(counts.drift).toBe(1);
    expect(counts.unchanged).toBeGreaterThanOrEqual(1);

    expect(activeSkillIds(await connector.content(lostRow.documentId))).toEqual(taggedSkillIds);
    expect(activeSkillIds(await connector.content(alteredRow.documentId))).toEqual(taggedSkillIds);
    expect(activeSkillIds(await connector.content(untouched.documentId))).toEqual(taggedSkillIds);
  });

  test('second full run finds nothing', async () => {
    const counts = await connector.reconcile('full');

    expect(counts.drift).toBe(0);
    expect(counts.created).toBe(0);
    expect(counts.updated).toBe(0);
  });

  test('CMS row changed behind the plugin is repaired', async () => {
    // An edit straight in the CMS database emits no event and no feed row, so only a full run finds it.
    let keptSkillId;
    writeBehindTheBack(path.join(env.demoDir, 'cms.db'), (db) => {
      const rows = db
        .prepare('SELECT id, skill_tags FROM courses WHERE document_id = ? AND published_at IS NOT NULL')
        .all(untouched.documentId);
      expect(rows).toHaveLength(1);
      const tags = JSON.parse(rows[0].skill_tags);
      expect(tags).toHaveLength(2);
      keptSkillId = tags[0].skill_id;
      db.prepare('UPDATE courses SET skill_tags = ? WHERE id = ?').run(JSON.stringify(tags.slice(0, 1)), rows[0].id);
    });

    const counts = await connector.reconcile('full');

    expect(counts.drift).toBe(1);
    expect(activeSkillIds(await connector.content(untouched.documentId))).toEqual([keptSkillId]);
  });
});
