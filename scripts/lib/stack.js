'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { DemoError } = require('./errors');
const { paths } = require('./paths');
const { ensureBuilds } = require('./builds');
const { Service, assertPortFree } = require('./processes');
const { DemoState } = require('./state');
const { CmsAdmin, requestJson } = require('./cms');
const { connectorCli, createConnectorKey } = require('./connector');
const { seedCms } = require('./seed');

const HOST = '127.0.0.1';
const PULL_PATH = '/api/skill-mapping';

// Variables a developer may have exported for other work; the demo sets its own database and ports,
// and must not inherit these.
const INHERITED_VARIABLES_TO_DROP = ['DATABASE_URL', 'DATABASE_CLIENT', 'DATABASE_FILENAME', 'PORT', 'HOST', 'CMS_URL', 'CMS_API_TOKEN', 'WEBHOOK_SECRETS'];

/** Reads the demo settings from the environment; every port can be moved with one variable. */
function optionsFromEnv(env = process.env) {
  const port = (name, fallback) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new DemoError('PORT_INVALID', `${name}="${text}" is not a TCP port; give an integer from 1 to 65535.`);
    }
    return value;
  };
  return {
    demoDir: path.resolve(paths.repoRoot, env.SKILL_MAPPING_DEMO_DIR || '.demo'),
    cmsPort: port('SKILL_MAPPING_CMS_PORT', 1337),
    connectorPort: port('SKILL_MAPPING_CONNECTOR_PORT', 4000),
  };
}

function baseEnv(demoDir) {
  const env = { ...process.env, SKILL_MAPPING_DEMO_DIR: demoDir };
  for (const name of INHERITED_VARIABLES_TO_DROP) delete env[name];
  return env;
}

/**
 * The running demo: the example Strapi app with the plugin, and the connector, both on SQLite files in
 * the demo folder. `start()` does every first-run step once and records it in the demo state.
 */
class DemoStack {
  constructor(options) {
    this.demoDir = options.demoDir;
    this.cmsPort = options.cmsPort;
    this.connectorPort = options.connectorPort;
    this.build = options.build !== false;
    this.skillsFile = options.skillsFile || path.join(paths.data, 'skills.csv');
    // Courses come from examples/data/courses.csv; tests seed only the first `courseLimit` of them.
    this.courseLimit = options.courseLimit || 0;
    // null skips the import, for an LMS adapter that creates its competencies and records their ids.
    this.frameworkFile = options.frameworkFile === undefined ? path.join(paths.data, 'moodle_competency_framework_esco200.csv') : options.frameworkFile;
    this.cmsEnvExtra = options.cmsEnv || {};
    this.connectorEnvExtra = options.connectorEnv || {};
    this.log = options.log || (() => {});

    this.cmsUrl = `http://${HOST}:${this.cmsPort}`;
    this.connectorUrl = `http://${HOST}:${this.connectorPort}`;
    this.logDir = path.join(this.demoDir, 'logs');
    this.cmsDbFile = path.join(this.demoDir, 'cms.db');
    this.connectorDbFile = path.join(this.demoDir, 'connector.db');
    this.cms = null;
    this.connector = null;
    this.credentials = null;
  }

  /** Deletes the demo folder: databases, generated secrets, tokens, keys and logs. */
  reset() {
    fs.rmSync(this.demoDir, { recursive: true, force: true });
  }

  async start() {
    await assertPortFree(HOST, this.cmsPort, 'SKILL_MAPPING_CMS_PORT');
    await assertPortFree(HOST, this.connectorPort, 'SKILL_MAPPING_CONNECTOR_PORT');
    await ensureBuilds({ logDir: this.logDir, skip: !this.build, log: this.log });
    this.throwIfStopped();

    fs.mkdirSync(this.demoDir, { recursive: true });
    this.state = new DemoState(this.demoDir);
    this.forgetStepsOfMissingDatabases();

    await seedCms(this);
    this.throwIfStopped();
    await this.startCms();
    const admin = new CmsAdmin(this.cmsUrl);
    const { registered } = await admin.signIn(this.state.get('admin'));
    if (registered) this.log('cms: first admin user created');

    await this.ensureCmsTokens(admin);
    await this.ensureEndpoint(admin);
    this.throwIfStopped();

    await this.prepareConnector();
    await this.startConnector();
    await this.ensureConnectorKey();
    await this.ensureMappings();
    await this.ensureInitialReconciliation();

    this.credentials = this.writeCredentials();
    return this;
  }

  // A Ctrl-C during the first run (builds and seeding take minutes) must not start the next service.
  throwIfStopped() {
    if (this.stopped) throw new DemoError('STOPPED', 'Stopped before the demo was ready.');
  }

  /** Forgets the tokens, keys and seed steps recorded for a database file that no longer exists. */
  forgetStepsOfMissingDatabases() {
    const done = this.state.get('done');
    if (!fs.existsSync(this.cmsDbFile)) {
      delete done['cms-seed'];
      this.state.set('cmsTokens', undefined);
      this.state.set('endpoint', undefined);
    }
    if (!fs.existsSync(this.connectorDbFile)) {
      delete done['connector-mappings'];
      delete done['connector-initial-reconcile'];
      this.state.set('connectorKey', undefined);
    }
    this.state.set('done', done);
  }

  cmsEnv() {
    return {
      ...baseEnv(this.demoDir),
      ...this.state.get('strapi'),
      NODE_ENV: 'production',
      HOST,
      PORT: String(this.cmsPort),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: this.cmsDbFile,
      STRAPI_TELEMETRY_DISABLED: 'true',
      STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
      ...this.cmsEnvExtra,
    };
  }

  async startCms() {
    this.throwIfStopped();
    this.log(`cms: starting Strapi on ${this.cmsUrl}`);
    this.cms = new Service({
      name: 'Strapi',
      command: process.execPath,
      args: [paths.strapiBin, 'start'],
      cwd: paths.strapiApp,
      env: this.cmsEnv(),
      logFile: path.join(this.logDir, 'cms.log'),
    }).start();
    await this.cms.waitForHttp(`${this.cmsUrl}/_health`, { accept: (status) => status === 204 || status === 200 });
    this.log('cms: ready');
  }

  /**
   * Two API tokens: a full-access one for scripts that drive the demo (printed), and a read-only one
   * for the connector's reconciliation, which only reads the pull API.
   */
  async ensureCmsTokens(admin) {
    const stored = this.state.get('cmsTokens');
    if (stored) {
      const probe = await requestJson(`${this.cmsUrl}${PULL_PATH}/content/changes?limit=1`, { token: stored.connector });
      if (probe.status !== 401 && probe.status !== 403) return;
      this.log('cms: stored API tokens are no longer accepted; creating new ones');
    }
    const suffix = new Date().toISOString();
    const demo = await admin.createApiToken({ name: `skill-mapping demo ${suffix}`, description: 'Created by npm start for scripts that drive the demo.', type: 'full-access' });
    const connector = await admin.createApiToken({ name: `skill-mapping connector ${suffix}`, description: 'Created by npm start: the connector reads the pull API with it.', type: 'read-only' });
    this.state.set('cmsTokens', { demo, connector });
    this.log('cms: API tokens created');
  }

  /** Creates (once) the webhook endpoint aimed at the connector's `/events`; its secret goes to the connector. */
  async ensureEndpoint(admin) {
    const url = `${this.connectorUrl}/events`;
    const stored = this.state.get('endpoint');
    const existing = await admin.listEndpoints();

    if (stored && existing.some((endpoint) => endpoint.id === stored.id && endpoint.url === url)) return;
    if (stored && existing.some((endpoint) => endpoint.id === stored.id)) await admin.deleteEndpoint(stored.id);

    const { endpoint, secret } = await admin.createEndpoint({
      url,
      event_types: ['content.tag.updated', 'content.tag.deprecated', 'content.deleted', 'skill.updated', 'skill.deprecated'],
      content_types: [],
      include_drafts: false,
      enabled: true,
    });
    if (!secret) throw new DemoError('ENDPOINT_SECRET_MISSING', 'The CMS created the webhook endpoint but returned no secret; check the plugin version.');
    this.state.set('endpoint', { id: endpoint.id, url, secret });
    this.log(`cms: webhook endpoint ${url} created`);
  }

  connectorEnv() {
    return {
      ...baseEnv(this.demoDir),
      HOST,
      PORT: String(this.connectorPort),
      DATABASE_URL: this.connectorDbFile,
      LMS_ADAPTER: 'none',
      WEBHOOK_SECRETS: this.state.get('endpoint').secret,
      CMS_URL: this.cmsUrl,
      CMS_API_TOKEN: this.state.get('cmsTokens').connector,
      CMS_PULL_PATH: PULL_PATH,
      ...this.connectorEnvExtra,
    };
  }

  async prepareConnector() {
    await connectorCli(['migrate'], this.connectorEnv());
  }

  /** Starts (or restarts, after `stopConnector`) the connector and waits until it is ready. */
  async startConnector() {
    this.throwIfStopped();
    this.log(`connector: starting on ${this.connectorUrl}`);
    this.connector = new Service({
      name: 'Connector',
      command: process.execPath,
      args: [paths.connectorBin, 'serve'],
      cwd: paths.repoRoot,
      env: this.connectorEnv(),
      logFile: path.join(this.logDir, 'connector.log'),
    }).start();
    await this.connector.waitForHttp(`${this.connectorUrl}/readyz`, { accept: (status) => status === 200 });
    this.log('connector: ready');
  }

  async stopConnector() {
    if (this.connector) await this.connector.stop();
  }

  async ensureConnectorKey() {
    const stored = this.state.get('connectorKey');
    if (stored) {
      const probe = await requestJson(`${this.connectorUrl}/content/changes?limit=1`, { token: stored });
      if (probe.status !== 401 && probe.status !== 403) return;
    }
    const key = await createConnectorKey(this.connectorEnv(), { name: 'demo', scope: 'admin' });
    this.state.set('connectorKey', key);
    this.log('connector: admin key created');
  }

  /** Fills the skill mapping from the Moodle framework CSV once (its competency idnumbers are skill UUIDs). */
  async ensureMappings() {
    if (!this.frameworkFile || this.state.isDone('connector-mappings')) return;
    const { stdout } = await connectorCli(['mappings', 'import', this.frameworkFile], this.connectorEnv());
    this.state.markDone('connector-mappings');
    const report = JSON.parse(stdout);
    this.log(`connector: ${report.rows} skill mappings imported from ${path.basename(this.frameworkFile)} (${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged)`);
  }

  /**
   * Runs one full reconciliation after the first start, so the courses the seed script tagged (before
   * any webhook endpoint existed) reach the connector at once instead of at the first delta interval.
   */
  async ensureInitialReconciliation() {
    if (this.state.isDone('connector-initial-reconcile')) return;
    const url = `${this.connectorUrl}/reconcile?mode=full&wait=true`;
    const deadline = Date.now() + 120_000;
    let response = await requestJson(url, { method: 'POST', token: this.state.get('connectorKey'), body: {} });

    // A periodic delta run may have started first; the full run waits for it instead of failing.
    while (response.status === 409 && response.body && response.body.code === 'RECONCILE_RUNNING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      response = await requestJson(url, { method: 'POST', token: this.state.get('connectorKey'), body: {} });
    }

    const report = response.body && response.body.report;
    if (response.status !== 200 || response.body.status !== 'done') {
      throw new DemoError('RECONCILE_FAILED', `The first full reconciliation failed (HTTP ${response.status}, ${JSON.stringify(report || response.body).slice(0, 200)}); see ${this.connector.logFile}.`);
    }
    this.state.markDone('connector-initial-reconcile');
    this.log(`connector: full reconciliation: ${report.items} items from the CMS, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`);
  }

  writeCredentials() {
    const admin = this.state.get('admin');
    const credentials = {
      cms_url: this.cmsUrl,
      admin_email: admin.email,
      admin_password: admin.password,
      cms_api_token: this.state.get('cmsTokens').demo,
      connector_url: this.connectorUrl,
      connector_key: this.state.get('connectorKey'),
      webhook_secret: this.state.get('endpoint').secret,
    };
    fs.writeFileSync(path.join(this.demoDir, 'credentials.json'), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return credentials;
  }

  /** Stops the connector first so it does not log CMS errors while Strapi shuts down. */
  async stop() {
    this.stopped = true;
    await this.stopConnector();
    if (this.cms) await this.cms.stop();
  }
}

module.exports = { DemoStack, optionsFromEnv, HOST, PULL_PATH };
