'use strict';

const path = require('node:path');
const Database = require('better-sqlite3');
const { describeWhenReady } = require('../helpers/requirements');
const { startTestStack } = require('../helpers/stack');
const { CmsClient, ConnectorClient } = require('../helpers/clients');
const { waitFor } = require('../helpers/http');

const PLANNED = ['full reconciliation repairs drift', 'second full run finds no drift'];

/** Runs `write` on a SQLite file another process has open; WAL mode and a busy timeout make it safe. */
function writeBehindTheBack(file, write) {
  const db = new Database(file, { timeout: 10_000 });
  try {
    return write(db);
  } finally {
    db.close();
  }
}

describeWhenReady('drift repaired by full reconciliation', PLANNED, () => {
  let env;
  let cms;
  let connector;
  let cmsDrifted;
  let connectorDeleted;
  let untouched;

  beforeAll(async () => {
    env = await startTestStack('drift', { connectorEnv: { RECONCILE_INTERVAL_MS: '0' } });
    cms = new CmsClient(env.credentials);
    connector = new ConnectorClient(env.credentials);
    [cmsDrifted, connectorDeleted, untouched] = (await cms.listCourses(30)).slice(20, 23);

    const [a, b, c] = env.catalog.mapped;
    for (const course of [cmsDrifted, connectorDeleted, untouched]) {
      await cms.setTags(course.documentId, [
        { skill_id: a.skill_id, confidence: 0.9, source: 'ai' },
        { skill_id: b.skill_id, confidence: 1, proficiency: 'beginner', source: 'editor' },
      ]);
      await waitFor(`course ${course.documentId} in the connector`, async () => (await connector.content(course.documentId)) !== null);
    }

    // A change written to the CMS database without the document service: no audit, no event, no feed row.
    const drifted = JSON.stringify([{ skill_id: c.skill_id, skill_name: c.name, confidence: 0.8, source: 'ai' }]);
    const changed = writeBehindTheBack(path.join(env.demoDir, 'cms.db'), (db) =>
      db.prepare('UPDATE courses SET skill_tags = ? WHERE document_id = ? AND published_at IS NOT NULL').run(drifted, cmsDrifted.documentId).changes,
    );
    expect(changed).toBe(1);

    // A connector row lost, as after a bad restore.
    writeBehindTheBack(path.join(env.demoDir, 'connector.db'), (db) => {
      db.prepare('DELETE FROM content_tag WHERE content_id = ?').run(connectorDeleted.documentId);
      db.prepare('DELETE FROM content_state WHERE content_id = ?').run(connectorDeleted.documentId);
    });
    expect(await connector.content(connectorDeleted.documentId)).toBeNull();
  });

  afterAll(async () => {
    if (env) await env.stack.stop();
  });

  test('full reconciliation repairs drift', async () => {
    const counts = await connector.reconcile('full');

    // The tags changed behind the plugin keep their metadata_version, so the repair counts as drift;
    // the row lost in the connector comes back as created.
    expect(counts.drift).toBeGreaterThanOrEqual(1);
    expect(counts.created).toBeGreaterThanOrEqual(1);
    expect(counts.unchanged).toBeGreaterThanOrEqual(1);

    const restored = await connector.content(connectorDeleted.documentId);
    expect(restored).not.toBeNull();
    expect(restored.skill_tags.filter((tag) => tag.status === 'active')).toHaveLength(2);

    const repaired = await connector.content(cmsDrifted.documentId);
    const active = repaired.skill_tags.filter((tag) => tag.status === 'active').map((tag) => tag.skill_id);
    expect(active).toEqual([env.catalog.mapped[2].skill_id]);
  });

  test('second full run finds no drift', async () => {
    const counts = await connector.reconcile('full');
    expect(counts.drift).toBe(0);
    expect(counts.created).toBe(0);
  });
});
