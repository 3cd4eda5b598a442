import type { Core } from '@strapi/strapi';
import { TABLES } from './lib/db';
import { DeliveryWorker } from './services/worker';
import { registerWorker } from './services/worker-registry';
import { getPluginConfig } from './services/plugin-config';

const ACTIONS = [
  { uid: 'deliveries.read', displayName: 'Read deliveries and audit' },
  { uid: 'endpoints.manage', displayName: 'Manage endpoints and replay events' },
  { uid: 'skills.manage', displayName: 'Import and deprecate skills' },
  { uid: 'content.tag', displayName: 'Tag content' },
];

// Strapi creates the tables from the content types, but not these indexes. They serve the
// worker's claim query, the feed and the uniqueness rules.
const INDEXES = [
  `CREATE UNIQUE INDEX IF NOT EXISTS sm_skills_skill_id_uq ON ${TABLES.skill} (skill_id)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS sm_outbox_event_endpoint_uq ON ${TABLES.outbox} (event_id, endpoint_id)`,
  `CREATE INDEX IF NOT EXISTS sm_outbox_claim_idx ON ${TABLES.outbox} (status, next_attempt_ms)`,
  `CREATE INDEX IF NOT EXISTS sm_outbox_order_idx ON ${TABLES.outbox} (endpoint_id, ordering_key, id)`,
  `CREATE INDEX IF NOT EXISTS sm_outbox_lease_idx ON ${TABLES.outbox} (lease_owner)`,
  `CREATE INDEX IF NOT EXISTS sm_outbox_change_idx ON ${TABLES.outbox} (change_id)`,
  `CREATE INDEX IF NOT EXISTS sm_changes_time_idx ON ${TABLES.change} (changed_ms)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS sm_states_key_uq ON ${TABLES.state} (content_type, content_id, locale)`,
  `CREATE INDEX IF NOT EXISTS sm_states_content_idx ON ${TABLES.state} (content_id)`,
  `CREATE INDEX IF NOT EXISTS sm_audits_content_idx ON ${TABLES.audit} (content_id)`,
  `CREATE INDEX IF NOT EXISTS sm_deliveries_outbox_idx ON ${TABLES.delivery} (outbox_id)`,
];

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const config = getPluginConfig(strapi);

  await strapi.service('admin::permission').actionProvider.registerMany(
    ACTIONS.map((action) => ({ section: 'plugins', pluginName: 'skill-mapping', ...action })),
  );

  for (const statement of INDEXES) {
    await strapi.db.connection.raw(statement);
  }

  if (config.workerEnabled) {
    const worker = new DeliveryWorker(strapi);
    registerWorker(strapi, worker);
    worker.start();
  }
};
