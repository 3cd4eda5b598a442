'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { DemoStack } = require('../../scripts/lib/stack');
const { freePort } = require('./ports');
const { writeTestCatalog } = require('./fixtures');

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

// Timings shortened so retries and reconciliation happen within a test, never a production default.
const FAST_CMS_ENV = {
  SKILL_MAPPING_RETRY_SCHEDULE: '1,1,2,2,2,2,2,2,2,2',
  SKILL_MAPPING_POLL_INTERVAL_MS: '500',
};
const FAST_CONNECTOR_ENV = {
  APPLY_POLL_INTERVAL_MS: '100',
  ADAPTER_POLL_INTERVAL_MS: '200',
  RECONCILE_FULL_INTERVAL_MS: '0',
  LOG_LEVEL: 'info',
};

/**
 * Starts the demo stack for one suite in its own folder under test/artifacts (kept after the run for
 * its logs) on free ports, with the small test catalog and 40 courses unless `fullCatalog` is set.
 */
async function startTestStack(name, { cmsEnv = {}, connectorEnv = {}, fullCatalog = false, frameworkFile } = {}) {
  const demoDir = path.join(ARTIFACTS, `${name}-${randomBytes(3).toString('hex')}`);
  fs.mkdirSync(demoDir, { recursive: true });
  const catalog = writeTestCatalog(demoDir);
  const lines = [];

  const stack = new DemoStack({
    demoDir,
    cmsPort: await freePort(),
    connectorPort: await freePort(),
    build: false,
    skillsFile: fullCatalog ? undefined : catalog.file,
    courseLimit: fullCatalog ? 0 : 40,
    frameworkFile,
    cmsEnv: { ...FAST_CMS_ENV, ...cmsEnv },
    connectorEnv: { ...FAST_CONNECTOR_ENV, ...connectorEnv },
    log: (line) => lines.push(line),
  });
  try {
    await stack.start();
  } catch (error) {
    await stack.stop();
    error.message += `\nstart log:\n${lines.join('\n')}`;
    throw error;
  }
  return { stack, catalog, credentials: stack.credentials, demoDir };
}

module.exports = { startTestStack, ARTIFACTS };
