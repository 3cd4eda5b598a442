'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { paths } = require('../../scripts/lib/paths');
const { assertPortFree } = require('../../scripts/lib/processes');
const { describeWhenReady } = require('../helpers/requirements');
const { ARTIFACTS } = require('../helpers/stack');
const { freePort } = require('../helpers/ports');
const { frameworkSkillIds } = require('../helpers/fixtures');
const { processesWithEnv } = require('../helpers/processes');
const { CmsClient, ConnectorClient } = require('../helpers/clients');
const { requestJson, waitFor, expectStatus } = require('../helpers/http');

const PLANNED = ['npm start runs the demo', 'printed URLs answer', 'catalog and mapping seeded', 'tagged course reaches the connector', 'SIGINT leaves no process', 'logs contain no secret'];

/** Pages through a pull listing (`/skills` or `/mappings/skills`) and returns the number of items. */
async function countAll(url, token) {
  let total = 0;
  let cursor;
  for (let page = 0; page < 100; page += 1) {
    const query = cursor ? `?limit=500&cursor=${encodeURIComponent(cursor)}` : '?limit=500';
    const body = expectStatus(await requestJson(`${url}${query}`, { token }), 200, `GET ${url}`);
    const items = body.items || body.results || [];
    total += items.length;
    cursor = body.cursor;
    if (!body.has_more || items.length === 0) return total;
  }
  throw new Error(`${url} did not end after 100 pages`);
}

describeWhenReady('npm start from a clean state', PLANNED, () => {
  const demoDir = path.join(ARTIFACTS, `npm-start-${randomBytes(3).toString('hex')}`);
  let child;
  let output = '';
  let exit;
  let credentials;
  let ports;

  beforeAll(async () => {
    ports = { cms: await freePort(), connector: await freePort() };
    child = spawn('npm', ['start'], {
      cwd: paths.repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SKILL_MAPPING_DEMO_DIR: demoDir,
        SKILL_MAPPING_CMS_PORT: String(ports.cms),
        SKILL_MAPPING_CONNECTOR_PORT: String(ports.connector),
      },
    });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  });

  afterAll(async () => {
    // Only reached with a live child when a test failed before the SIGINT test ran.
    if (child && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGINT');
      await exit;
    }
    // Kept for debugging a failed run, without the printed secrets.
    let shown = output;
    for (const key of ['admin_password', 'cms_api_token', 'connector_key', 'webhook_secret']) {
      if (credentials && credentials[key]) shown = shown.split(credentials[key]).join(`(${key} hidden)`);
    }
    fs.mkdirSync(demoDir, { recursive: true });
    fs.writeFileSync(path.join(demoDir, 'npm-start-output.txt'), shown.replace(/(whsec_|skc_)\S+/g, '$1(hidden)'));
  });

  test('npm start runs the demo', async () => {
    await waitFor('the "demo is running" line', () => output.includes('Ctrl-C stops it') || child.exitCode !== null, {
      timeoutMs: 280_000,
      intervalMs: 500,
    });
    expect(child.exitCode).toBeNull();
    credentials = JSON.parse(fs.readFileSync(path.join(demoDir, 'credentials.json'), 'utf8'));
    for (const key of ['cms_url', 'admin_email', 'admin_password', 'cms_api_token', 'connector_url', 'connector_key', 'webhook_secret']) {
      expect(credentials[key]).toEqual(expect.any(String));
    }
    expect(credentials.cms_url).toBe(`http://127.0.0.1:${ports.cms}`);
    expect(credentials.connector_url).toBe(`http://127.0.0.1:${ports.connector}`);
  });

  test('printed URLs answer', async () => {
    const summary = output.slice(output.indexOf('Ctrl-C stops it'));
    const urls = [...summary.matchAll(/https?:\/\/127\.0\.0\.1:\d+\S*/g)].map((match) => match[0]);
    expect(urls).toEqual(
      expect.arrayContaining([
        `${credentials.cms_url}/admin`,
        `${credentials.connector_url}/healthz`,
        `${credentials.connector_url}/metrics`,
        `${credentials.connector_url}/content/changes`,
      ]),
    );

    for (const url of urls) {
      const token = url.startsWith(credentials.connector_url) ? credentials.connector_key : credentials.cms_api_token;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      if (url.endsWith('/metrics')) expect(text).toContain('skill_events_total');
      if (url.endsWith('/admin')) expect(text).toContain('<html');
    }
  });

  test('catalog and mapping seeded', async () => {
    const cms = new CmsClient(credentials);
    expect(await countAll(`${cms.pullUrl()}/skills`, credentials.cms_api_token)).toBe(2334);

    const mappings = await countAll(`${credentials.connector_url}/mappings/skills`, credentials.connector_key);
    expect(mappings).toBe(frameworkSkillIds().length);
    expect(mappings).toBe(200);
  });

  test('tagged course reaches the connector', async () => {
    const cms = new CmsClient(credentials);
    const connector = new ConnectorClient(credentials);
    const [course] = await cms.untaggedCourses(1);
    const [skillId] = frameworkSkillIds();

    await cms.setTags(course.documentId, [{ skill_id: skillId, confidence: 0.9, source: 'ai' }]);

    const item = await waitFor('the tag in the connector', async () => {
      const state = await connector.content(course.documentId);
      return state && state.skill_tags.some((tag) => tag.skill_id === skillId) ? state : null;
    });
    const tag = item.skill_tags.find((candidate) => candidate.skill_id === skillId);
    expect(tag.derived_proficiency).toBe('advanced');
    expect(tag.lms_competency_id).toBeTruthy();
  });

  test('SIGINT leaves no process', async () => {
    const before = processesWithEnv('SKILL_MAPPING_DEMO_DIR', demoDir);
    expect(before.length).toBeGreaterThanOrEqual(3);

    // As a terminal's Ctrl-C does: the signal goes to the whole foreground group (npm, sh, node).
    process.kill(-child.pid, 'SIGINT');
    const { code, signal } = await exit;

    // npm re-raises the SIGINT once its script has exited, so npm itself ends by the signal. The
    // orchestrator's clean exit shows in its last output line.
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    expect(output.trimEnd().endsWith('stopped')).toBe(true);
    await waitFor('every demo process to exit', () => processesWithEnv('SKILL_MAPPING_DEMO_DIR', demoDir).length === 0, { timeoutMs: 15_000 });
    await expect(assertPortFree('127.0.0.1', ports.cms, 'SKILL_MAPPING_CMS_PORT')).resolves.toBeUndefined();
    await expect(assertPortFree('127.0.0.1', ports.connector, 'SKILL_MAPPING_CONNECTOR_PORT')).resolves.toBeUndefined();
  });

  test('logs contain no secret', () => {
    const state = JSON.parse(fs.readFileSync(path.join(demoDir, 'state.json'), 'utf8'));
    const secrets = {
      admin_password: credentials.admin_password,
      cms_api_token: credentials.cms_api_token,
      connector_cms_token: state.cmsTokens.connector,
      connector_key: credentials.connector_key,
      webhook_secret: credentials.webhook_secret,
      ...state.strapi,
    };
    const logDir = path.join(demoDir, 'logs');
    const logs = fs.readdirSync(logDir).map((name) => ({ name, text: fs.readFileSync(path.join(logDir, name), 'utf8') }));
    expect(logs.map((log) => log.name)).toEqual(expect.arrayContaining(['cms.log', 'connector.log', 'seed.log']));

    const leaks = [];
    for (const [secretName, value] of Object.entries(secrets)) {
      for (const part of String(value).split(',')) {
        for (const log of logs) if (log.text.includes(part)) leaks.push(`${secretName} in ${log.name}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
