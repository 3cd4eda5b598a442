/**
 * Browser test of the plugin admin UI against a private copy of the example app: real Strapi
 * (`strapi start` on a fresh SQLite file), real Chromium, a real webhook receiver on 127.0.0.1. Steps share one app and run in
 * order, and after a failed step the rest are skipped so the first failure is the one reported.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { verifyWebhook } from '@skill-mapping/shared-schema';

import { syncAppCopy } from './support/app-copy.mjs';
import { adminApi, createAdminUser, grantLocales, login, registerFirstAdmin } from './support/admin-api.mjs';
import { launchBrowser, loginInBrowser } from './support/browser.mjs';
import { ensureAdminBuilt, ensurePluginBuilt } from './support/build.mjs';
import { ARTIFACTS_DIR, SKILLS_CSV } from './support/paths.mjs';
import { createReceiver } from './support/receiver.mjs';
import { startStrapi } from './support/strapi.mjs';

const ADMIN = { firstname: 'Ada', lastname: 'Admin', email: 'ada.admin@example.com', password: 'Browser-Test-1234' };
const EDITOR = { email: 'eddie.editor@example.com', password: 'Browser-Test-5678' };
const COURSE_UID = 'api::course.course';
const PLUGIN_PATH = '/admin/plugins/skill-mapping';
const PYTHON_SKILL_ID = 'ccd0a1d9-afda-43d9-b901-96344886e14d';
const SCRIPTING_SKILL_ID = '5ef0c719-5bcb-49f8-b8eb-824388225333';

const state = { failed: false };
let app;
let receiver;
let browser;
let page;
let api;
let adminToken;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const screenshot = async (name, target = page) => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await target.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
};

/** Polls `check` until it returns a truthy value, at most `attempts` times. */
const waitFor = async (check, { intervalMs = 500, attempts = 160, what = 'condition' } = {}) => {
  let last;
  for (let i = 0; i < attempts; i += 1) {
    last = await check();
    if (last) return last;
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Runs one step unless an earlier one failed, and remembers a failure for the next steps. */
const step = (name, fn, timeout = 120_000) =>
  it(name, { timeout }, async (t) => {
    if (state.failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn(t);
    } catch (error) {
      state.failed = true;
      if (page) await screenshot(`failure-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw error;
    }
  });

const tagEvents = () =>
  receiver.requests
    .map((request) => ({ request, event: JSON.parse(request.body.toString('utf8')) }))
    .filter(({ event }) => event.event_type === 'content.tag.updated');

const deliveryRows = async () =>
  page.locator('[data-testid="delivery-row"]').evaluateAll((rows) =>
    rows.map((row) => ({ eventType: row.dataset.eventType, status: row.dataset.status }))
  );

const openCourse = async (documentId) => {
  await page.goto(
    `${app.url}/admin/content-manager/collection-types/${COURSE_UID}/${documentId}?plugins[i18n][locale]=en`
  );
  await page.getByTestId('skill-tags-field').waitFor();
};

/** Ends the browser session and logs in as another admin user. */
const switchUser = async (email, password) => {
  // A persistent context cannot open a second one, so the session is cleared instead.
  await page.context().clearCookies();
  await page.evaluate(() => {
    window.localStorage.clear();
    window.sessionStorage.clear();
  });
  await loginInBrowser(page, app.url, email, password);
};

const eventsOfType = (eventType) =>
  receiver.requests
    .map((request) => ({ request, event: JSON.parse(request.body.toString('utf8')) }))
    .filter(({ event }) => event.event_type === eventType);

/** Waits until every animation in the open dialog has finished, so a screenshot shows it fully. */
const settleDialog = async () => {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((a) => a.finished)));
};

/** Clicks Save, then Publish, each time waiting for the content manager's request to succeed. */
const saveAndPublish = async () => {
  const clickAndWait = async (button, matches) => {
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.request().method() !== 'GET' && matches(candidate.url())),
      page.getByRole('button', { name: button }).click(),
    ]);
    assert.equal(response.status(), 200, `${button} returned ${response.status()}`);
  };

  await clickAndWait(/^save$/i, (url) => url.includes(`/collection-types/${COURSE_UID}/`) && !url.includes('/actions/'));
  await clickAndWait(/^publish$/i, (url) => url.includes('/actions/publish'));
};

describe('plugin admin UI in Chromium', () => {
  const testStartedAt = new Date().toISOString();
  let secret;
  let newSecret;
  let courseId;

  before(async () => {
    ensurePluginBuilt();
    const appDir = syncAppCopy();
    ensureAdminBuilt(appDir);
    receiver = await createReceiver();
    app = await startStrapi({
      appDir,
      env: {
        // Two quick retries, so an event without a response goes dead after three attempts of one timeout each.
        SKILL_MAPPING_RETRY_SCHEDULE: '1,1',
        SKILL_MAPPING_POLL_INTERVAL_MS: '500',
        SKILL_MAPPING_REQUEST_TIMEOUT_MS: '6000',
      },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop();
    await receiver?.stop();
    if (state.failed && app) process.stdout.write(`# Strapi log: ${app.logFile}\n`);
    else if (app) fs.rmSync(app.dataDir, { recursive: true, force: true });
  });

  step('registers the first admin and logs in', async () => {
    adminToken = await registerFirstAdmin(app.url, ADMIN);
    api = adminApi(app.url, adminToken);
    await loginInBrowser(page, app.url, ADMIN.email, ADMIN.password);
  });

  step('imports the ESCO catalog on the Skills page', async () => {
    await page.goto(`${app.url}${PLUGIN_PATH}/skills`);
    await page.getByText('This service uses the ESCO classification of the European Commission.').waitFor();

    await page.getByRole('button', { name: 'Import CSV or JSON' }).click();
    await page.getByTestId('skill-import-file').setInputFiles(SKILLS_CSV);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 300_000 });
    const text = await summary.innerText();
    await screenshot('skills-import-summary');

    assert.match(text, /2334 created/, `import summary: ${text}`);
    await page.getByRole('button', { name: 'Close', exact: true }).click();

    await page.getByLabel('Search').fill('python');
    await page.locator('[data-testid="skill-row"]', { hasText: 'Python (computer programming)' }).waitFor();
    await screenshot('skills-page');
  }, 420_000);

  step('Content-Type Builder lists the custom field', async () => {
    // `strapi start` runs in production mode, where the builder shows fields but cannot add them.
    await page.goto(`${app.url}/admin/plugins/content-type-builder/content-types/${COURSE_UID}`);
    await page.getByText('skill_tags', { exact: true }).waitFor();
    await page.getByText('Custom field', { exact: true }).waitFor();
    await screenshot('content-type-builder');
  });

  step('creates an endpoint and sends a test event', async () => {
    await page.goto(`${app.url}/admin/settings/skill-mapping/endpoints`);
    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const secretText = page.getByTestId('endpoint-secret');
    await secretText.waitFor();
    secret = (await secretText.innerText()).trim();
    assert.match(secret, /^whsec_/);
    // The secret must not end up in an artifact, so the screenshot comes after the dialog closes.
    await page.getByRole('button', { name: 'I stored it' }).click();
    await page.getByTestId('endpoint-row').waitFor();

    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.getByTestId('endpoint-test-result');
    await result.waitFor();
    assert.match(await result.innerText(), /HTTP 200/);
    await screenshot('settings-endpoints');

    const testRequest = receiver.requests.find((request) => JSON.parse(request.body).event_type === 'endpoint.test');
    assert.ok(testRequest, 'the receiver got the endpoint.test event');
    verifyWebhook({ secrets: [secret], headers: testRequest.headers, body: testRequest.body });
  });

  step('tags a course in the edit view and publishes it', async () => {
    const created = await api.ok('POST', `/content-manager/collection-types/${COURSE_UID}?locale=en`, {
      title: '1.1 Background',
      description: 'Explain why Python is a good programming language to learn.',
    });
    courseId = created.data.documentId;
    await openCourse(courseId);

    const search = page.getByRole('combobox', { name: 'Add a skill' });
    await search.fill('python');
    await page.getByRole('option', { name: /Python \(computer programming\)/ }).waitFor();
    await screenshot('field-search-python');
    await search.press('Enter');
    await page.locator('[data-testid="skill-tag-chip"]', { hasText: 'Python (computer programming)' }).waitFor();

    // A hit on an alternative label shows that label under the skill's name.
    await search.fill('technologies for body scanning');
    const altHit = page.getByRole('option', { name: /3D body scanning technologies/ });
    await altHit.waitFor();
    assert.match(await altHit.innerText(), /Also known as: technologies for body scanning/);

    // Combobox keys: the arrow moves the active option (announced through aria-activedescendant), Escape closes.
    await search.fill('programming');
    await page.getByRole('option').nth(2).waitFor();
    const activeBefore = await search.getAttribute('aria-activedescendant');
    await search.press('ArrowDown');
    const activeAfter = await search.getAttribute('aria-activedescendant');
    assert.notEqual(activeAfter, activeBefore);
    assert.equal(await page.locator(`[id="${activeAfter}"]`).getAttribute('aria-selected'), 'true');
    await search.press('Escape');
    assert.equal(await search.getAttribute('aria-expanded'), 'false');

    await search.fill('scripting programming');
    await page.getByRole('option', { name: /use scripting programming/ }).click();
    await page.locator('[data-testid="skill-tag-chip"]', { hasText: 'use scripting programming' }).waitFor();

    await page.getByRole('combobox', { name: 'Proficiency for Python (computer programming)' }).click();
    await page.getByRole('option', { name: 'Expert' }).click();
    await screenshot('field-two-tags');

    await saveAndPublish();
  });

  step('receiver gets the signed tag event', async () => {
    const { request, event } = await waitFor(() => tagEvents().at(-1), { what: 'a content.tag.updated event' });
    verifyWebhook({ secrets: [secret], headers: request.headers, body: request.body });

    assert.equal(request.headers['webhook-id'], event.event_id);
    assert.equal(event.data.content_id, courseId);
    const tags = Object.fromEntries(event.data.skill_tags.map((tag) => [tag.skill_name, tag]));
    assert.equal(tags['Python (computer programming)']?.proficiency, 'expert');
    assert.equal(tags['use scripting programming']?.proficiency, 'intermediate');
    assert.equal(event.data.skill_tags.length, 2);
  });

  step('Deliveries page shows the event delivered', async () => {
    await page.goto(`${app.url}${PLUGIN_PATH}/deliveries`);
    await waitFor(async () => {
      const rows = await deliveryRows();
      return rows.some((row) => row.eventType === 'content.tag.updated' && row.status === 'delivered');
    }, { what: 'a delivered content.tag.updated row' });
    await page.locator('[data-testid="delivery-row"][data-status="delivered"]').first()
      .getByRole('button', { name: 'Attempts' }).click();
    await page.getByTestId('attempt-row').first().waitFor();
    await settleDialog();
    await screenshot('delivery-attempts');
    await page.keyboard.press('Escape');
    await screenshot('deliveries-delivered');
  });

  step('silent receiver shows pending, retrying, then dead', async () => {
    // Each attempt now waits for the request timeout, so "pending" lasts at least one timeout and
    // "retrying" at least one more: long enough to see both on the page before the event goes dead.
    receiver.hang();
    await openCourse(courseId);
    await page.getByRole('button', { name: 'Remove use scripting programming' }).click();
    await saveAndPublish();

    await page.goto(`${app.url}${PLUGIN_PATH}/deliveries`);
    const seen = [];
    await waitFor(async () => {
      await page.reload();
      await page.getByTestId('delivery-counters').waitFor();
      const newest = (await deliveryRows()).find((row) => row.eventType === 'content.tag.updated');
      if (newest && seen.at(-1) !== newest.status) {
        seen.push(newest.status);
        await screenshot(`deliveries-${newest.status}`);
      }
      return newest?.status === 'dead';
    }, { intervalMs: 300, attempts: 100, what: 'the event to go dead' });

    assert.deepEqual(seen.filter((status) => status !== 'delivered'), ['pending', 'retrying', 'dead']);
    assert.notEqual(await page.locator('[data-counter="dead"]').innerText(), '0');

    await page.locator('[data-testid="delivery-row"][data-status="dead"]').first()
      .getByRole('button', { name: 'Attempts' }).click();
    await waitFor(async () => (await page.getByTestId('attempt-row').count()) === 3, { what: 'three attempts' });
    await settleDialog();
    await screenshot('delivery-attempts-dead');
    await page.keyboard.press('Escape');
  }, 180_000);

  step('replay delivers once the receiver responds again', async () => {
    const before = tagEvents().length;
    receiver.respondAgain();
    await page.locator('[data-testid="delivery-row"][data-status="dead"]').first()
      .getByRole('button', { name: 'Replay' }).click();

    const { request, event } = await waitFor(() => tagEvents().length > before && tagEvents().at(-1), {
      what: 'the replayed event',
    });
    verifyWebhook({ secrets: [secret], headers: request.headers, body: request.body });
    assert.deepEqual(event.data.skill_tags.map((tag) => tag.skill_name), ['Python (computer programming)']);

    await waitFor(async () => {
      await page.reload();
      await page.getByTestId('delivery-counters').waitFor();
      return (await page.locator('[data-counter="dead"]').innerText()) === '0';
    }, { what: 'no dead delivery left' });
    await screenshot('deliveries-replayed');
  });

  step('Audit page lists the tag changes', async () => {
    await page.goto(`${app.url}${PLUGIN_PATH}/audit?content_id=${courseId}`);
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByTestId('audit-current-tags').first().waitFor();
    await screenshot('audit');
  });

  step('rotated secret signs with the old and the new secret', async () => {
    await page.goto(`${app.url}/admin/settings/skill-mapping/endpoints`);
    await page.getByTestId('endpoint-row').getByRole('button', { name: 'Rotate secret' }).click();
    const secretText = page.getByTestId('endpoint-secret');
    await secretText.waitFor();
    newSecret = (await secretText.innerText()).trim();
    assert.match(newSecret, /^whsec_/);
    assert.notEqual(newSecret, secret);
    await page.getByRole('button', { name: 'I stored it' }).click();

    const before = eventsOfType('endpoint.test').length;
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByTestId('endpoint-test-result').waitFor();
    const { request } = await waitFor(() => eventsOfType('endpoint.test').length > before && eventsOfType('endpoint.test').at(-1), {
      what: 'a test event after the rotation',
    });
    await screenshot('settings-rotated');

    assert.equal(request.headers['webhook-signature'].split(' ').length, 2);
    verifyWebhook({ secrets: [secret], headers: request.headers, body: request.body });
    verifyWebhook({ secrets: [newSecret], headers: request.headers, body: request.body });
  });

  step('deprecating a skill names its successor', async () => {
    await page.goto(`${app.url}${PLUGIN_PATH}/skills`);
    await page.getByLabel('Search').fill('Java (computer programming)');
    const row = page.locator('[data-testid="skill-row"]', { hasText: 'Java (computer programming)' });
    await row.getByRole('button', { name: 'Deprecate' }).click();

    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Merged into the Python skill for this catalog.');
    await dialog.getByRole('combobox', { name: 'Successor (optional)' }).fill('python');
    await page.getByRole('option', { name: /Python \(computer programming\)/ }).click();
    await dialog.getByRole('button', { name: 'Deprecate' }).click();
    await dialog.getByText(/^Deprecated\./).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    await row.getByText('Replaced by Python (computer programming)').waitFor();
    await screenshot('skills-deprecated');

    const { request, event } = await waitFor(() => eventsOfType('skill.deprecated').at(-1), { what: 'a skill.deprecated event' });
    verifyWebhook({ secrets: [newSecret], headers: request.headers, body: request.body });
    assert.equal(event.data.superseded_by, PYTHON_SKILL_ID);
  });

  step('editor without the tag permission gets a read-only field', async () => {
    await grantLocales(app.url, adminToken, { roleCode: 'strapi-editor', subject: COURSE_UID, locales: ['en'] });
    await createAdminUser(app.url, adminToken, { ...EDITOR, roleCode: 'strapi-editor' });

    await switchUser(EDITOR.email, EDITOR.password);
    await openCourse(courseId);

    const field = page.getByTestId('skill-tags-field');
    await page.getByTestId('skill-tags-readonly').waitFor();
    await field.locator('[data-testid="skill-tag-chip"]', { hasText: 'Python (computer programming)' }).waitFor();
    assert.equal(await field.getAttribute('data-readonly'), 'true');
    assert.equal(await page.getByRole('combobox', { name: 'Add a skill' }).count(), 0);
    await screenshot('field-read-only-editor');

    const editorToken = await login(app.url, EDITOR.email, EDITOR.password);
    const editorApi = adminApi(app.url, editorToken);
    const response = await editorApi.request('PUT', `/content-manager/collection-types/${COURSE_UID}/${courseId}?locale=en`, {
      title: '1.1 Background',
      skill_tags: [],
    });
    assert.equal(response.status, 403, JSON.stringify(response.body));
    assert.equal(response.body.error.details.code, 'SKILL_TAGS_FORBIDDEN', JSON.stringify(response.body));
    // The unchanged tags below show the refusal came before the write.

    const stored = await api.ok('GET', `/content-manager/collection-types/${COURSE_UID}/${courseId}?locale=en`);
    assert.deepEqual(stored.data.skill_tags.map((tag) => tag.skill_name), ['Python (computer programming)']);

    // The plugin's own admin routes check the same RBAC actions the UI hides.
    const config = await editorApi.request('GET', '/skill-mapping/config');
    assert.equal(config.body.canTag, false);
    assert.equal((await editorApi.request('GET', '/skill-mapping/deliveries')).status, 403);
    assert.equal((await editorApi.request('GET', '/skill-mapping/endpoints')).status, 403);
  });

  step('withdrawing a tag in the Audit page emits the corrective event', async () => {
    await switchUser(ADMIN.email, ADMIN.password);
    await page.goto(`${app.url}${PLUGIN_PATH}/audit?content_id=${courseId}`);
    await page.getByTestId('audit-current-tags').getByRole('button', { name: 'Withdraw this tag' }).click();

    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('The section teaches no Python.');
    await settleDialog();
    await screenshot('audit-withdraw-dialog');
    await dialog.getByRole('button', { name: 'Withdraw', exact: true }).click();

    const { request, event } = await waitFor(() => eventsOfType('content.tag.deprecated').at(-1), {
      what: 'a content.tag.deprecated event',
    });
    verifyWebhook({ secrets: [newSecret], headers: request.headers, body: request.body });
    assert.equal(event.data.content_id, courseId);
    assert.equal(event.data.skill_id, PYTHON_SKILL_ID);
    assert.equal(event.data.reason, 'The section teaches no Python.');

    await page.getByTestId('audit-current-tags').getByText('No skills tagged yet.').waitFor();
    await page.locator('[data-testid="audit-row"]', { hasText: 'withdraw' }).waitFor();
    await screenshot('audit-withdrawn');
  });

  step('tag on a later deprecated skill is marked in the field', async () => {
    const scripting = { skill_id: SCRIPTING_SKILL_ID, skill_name: 'use scripting programming', confidence: 1, source: 'editor' };
    await api.ok('PUT', `/content-manager/collection-types/${COURSE_UID}/${courseId}?locale=en`, {
      title: '1.1 Background',
      skill_tags: [scripting],
    });

    await page.goto(`${app.url}${PLUGIN_PATH}/skills`);
    await page.getByLabel('Search').fill('use scripting programming');
    const row = page.locator('[data-testid="skill-row"]', { hasText: 'use scripting programming' });
    await row.getByRole('button', { name: 'Deprecate' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Too broad to map to a competency.');
    await dialog.getByRole('button', { name: 'Deprecate' }).click();
    await dialog.getByText(/^Deprecated\./).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    await openCourse(courseId);
    const chip = page.locator('[data-testid="skill-tag-chip"]', { hasText: 'use scripting programming' });
    await chip.getByText('Deprecated', { exact: true }).waitFor();
    await screenshot('field-deprecated-tag');
  });

  step('replay from a timestamp sends the content events again', async () => {
    const sentBefore = new Set([...eventsOfType('content.tag.updated'), ...eventsOfType('content.tag.deprecated')]
      .map(({ event }) => event.event_id));
    const countBefore = receiver.requests.length;

    await page.goto(`${app.url}${PLUGIN_PATH}/deliveries`);
    await page.getByRole('button', { name: 'Replay from cursor' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Cursor').fill(testStartedAt);
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByText(/events? queued again/).first().waitFor();
    await screenshot('deliveries-replay-from');

    const replayed = await waitFor(() => {
      const ids = receiver.requests.slice(countBefore).map((request) => JSON.parse(request.body).event_id);
      return ids.length >= sentBefore.size && ids;
    }, { what: 'the replayed content events' });
    // A replayed event keeps its event_id, so receivers deduplicate it.
    assert.deepEqual(new Set(replayed), sentBefore);
  });

  step('Deliveries filters narrow the list', async () => {
    await page.goto(`${app.url}${PLUGIN_PATH}/deliveries`);
    await page.locator('[data-testid="delivery-row"]').first().waitFor();

    await page.getByRole('combobox', { name: 'Event type' }).click();
    await page.getByRole('option', { name: 'content.tag.deprecated' }).click();
    await waitFor(async () => {
      const rows = await deliveryRows();
      return rows.length > 0 && rows.every((row) => row.eventType === 'content.tag.deprecated');
    }, { what: 'only content.tag.deprecated rows' });

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Dead' }).click();
    await page.getByText('No deliveries match these filters.').waitFor();
    await screenshot('deliveries-filtered');
  });
});
