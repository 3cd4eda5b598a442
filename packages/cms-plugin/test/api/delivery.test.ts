import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { TestReceiver } from '../helpers/receiver';
import { readSubsetCsv, subsetSkills } from '../helpers/catalog';
import { courses, pluginServices } from '../helpers/plugin';

let booted: BootedStrapi;
const [skillA, skillB] = subsetSkills(2);
const RETRY_SCHEDULE_SECONDS = [0.2, 0.4, 0.8];
const tag = (skill: { id: string }) => ({ skill_id: skill.id, confidence: 1 });

beforeAll(async () => {
  booted = await bootStrapi('delivery', { SKILL_MAPPING_RETRY_SCHEDULE: RETRY_SCHEDULE_SECONDS.join(',') });
  await pluginServices(booted.strapi).catalog.import('csv', readSubsetCsv());
});

afterAll(async () => {
  await booted?.close();
});

const services = () => pluginServices(booted.strapi);
const knex = () => booted.strapi.db.connection;

/** Starts a receiver with its own endpoint; `stop` removes both. */
async function withEndpoint() {
  const receiver = new TestReceiver();
  const url = await receiver.start();
  const { endpoint, secret } = await services().endpoints.create({ url, event_types: [], content_types: [], enabled: true });
  receiver.secrets = [secret];
  return {
    receiver,
    endpoint,
    rows: () => knex()('skill_mapping_outboxes').where({ endpoint_id: endpoint.id }).orderBy('id'),
    async stop() {
      await services().endpoints.delete(endpoint.id);
      await receiver.stop();
    },
  };
}

async function publishTagged(title: string, skills = [skillA]) {
  const doc = await courses(booted.strapi).create({ data: { title, skill_tags: skills.map(tag) } });
  await courses(booted.strapi).publish({ documentId: doc.documentId });
  return doc.documentId as string;
}

async function waitForRows(rows: () => Promise<any[]>, predicate: (rows: any[]) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await rows();
    if (predicate(current)) return current;
    if (Date.now() > deadline) throw new Error(`outbox rows never matched: ${JSON.stringify(current.map((row) => [row.id, row.status, row.attempts]))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('receiver down then up delivers everything in order', async () => {
  const target = await withEndpoint();
  target.receiver.fallback = { status: 503 };
  const ids = [await publishTagged('Down 1'), await publishTagged('Down 2')];
  for (const documentId of ids) {
    await courses(booted.strapi).update({ documentId, data: { skill_tags: [tag(skillA), tag(skillB)] } });
    await courses(booted.strapi).publish({ documentId });
  }
  await waitForRows(target.rows, (rows) => rows.length === 4 && rows.some((row) => Number(row.attempts) >= 2));

  const attempts = await knex()('skill_mapping_deliveries').where({ endpoint_id: target.endpoint.id }).orderBy('id');
  const firstFailure = attempts[0];
  const row = (await target.rows()).find((r: any) => Number(r.id) === Number(firstFailure.outbox_id));
  expect(firstFailure.status_code).toBe(503);
  expect(Number(row.last_status)).toBe(503);

  target.receiver.fallback = null;
  await waitForRows(target.rows, (rows) => rows.every((r) => r.status === 'delivered'));
  for (const documentId of ids) {
    const versions = target.receiver
      .delivered()
      .filter((event) => event.body.data.content_id === documentId)
      .map((event) => event.body.data.metadata_version);
    expect(versions).toEqual([1, 2]);
  }
  expect(target.receiver.delivered().every((event) => event.verified)).toBe(true);
  await target.stop();
});

it('retry delays stay within the jittered schedule', async () => {
  const target = await withEndpoint();
  target.receiver.fallback = { status: 500 };
  await publishTagged('Schedule');
  const [dead] = await waitForRows(target.rows, (rows) => rows[0]?.status === 'dead');

  const attempts = await knex()('skill_mapping_deliveries').where({ outbox_id: dead.id }).orderBy('attempt');
  expect(attempts.map((a: any) => Number(a.attempt))).toEqual([1, 2, 3, 4]);
  expect(Number(dead.attempts)).toBe(RETRY_SCHEDULE_SECONDS.length + 1);
  expect(dead.last_error).toContain('500');
  await target.stop();
});

it('honours Retry-After', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 429, headers: { 'retry-after': '30' } });
  await publishTagged('Retry-After');
  const [row] = await waitForRows(target.rows, (rows) => Number(rows[0]?.attempts) === 1);

  const [attempt] = await knex()('skill_mapping_deliveries').where({ outbox_id: row.id });
  expect(row.status).toBe('retrying');
  expect(Number(row.next_attempt_ms) - Number(attempt.created_ms)).toBeGreaterThanOrEqual(30_000);
  await target.stop();
});

it('413 goes dead at once and replay delivers it', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 413 });
  await publishTagged('Too large');
  const [row] = await waitForRows(target.rows, (rows) => rows[0]?.status === 'dead');
  expect(Number(row.attempts)).toBe(1);

  const { replayed } = await services().deliveries.replayDead({ endpoint_id: target.endpoint.id });
  expect(replayed).toBe(1);
  await waitForRows(target.rows, (rows) => rows[0]?.status === 'delivered');
  const [first, second] = target.receiver.events;
  expect(second.body.event_id).toBe(first.raw.length > 0 ? JSON.parse(first.raw.toString()).event_id : null);
  expect(second.raw.equals(first.raw)).toBe(true);
  await target.stop();
});

it('400 is permanent but 408 retries', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 400 }, { status: 408 });
  await publishTagged('Bad request');
  await publishTagged('Timeout');
  const rows = await waitForRows(target.rows, (r) => r.length === 2 && r[0].status === 'dead' && r[1].status === 'delivered');
  expect(Number(rows[1].attempts)).toBe(2);
  await target.stop();
});

it('401 retries and flags the endpoint', async () => {
  const target = await withEndpoint();
  target.receiver.fallback = { status: 401 };
  await publishTagged('Unauthorized');
  await waitForRows(target.rows, (rows) => Number(rows[0]?.attempts) >= 1);
  const { results } = await services().endpoints.list();
  const flagged = results.find((endpoint: any) => endpoint.id === target.endpoint.id);
  expect(flagged.flagged_reason).toContain('401');
  expect((await target.rows())[0].status).not.toBe('dead');

  target.receiver.fallback = null;
  await waitForRows(target.rows, (rows) => rows[0]?.status === 'delivered');
  const healed = (await services().endpoints.list()).results.find((endpoint: any) => endpoint.id === target.endpoint.id);
  expect(healed.flagged_reason).toBeNull();
  await target.stop();
});

it('410 disables the endpoint', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 410 });
  await publishTagged('Gone');
  await waitForRows(target.rows, (rows) => Number(rows[0]?.attempts) === 1);
  const endpoint = (await services().endpoints.list()).results.find((e: any) => e.id === target.endpoint.id);
  expect(endpoint.enabled).toBe(false);
  expect(endpoint.flagged_reason).toContain('410');

  await services().endpoints.update(target.endpoint.id, { enabled: true });
  await waitForRows(target.rows, (rows) => rows[0]?.status === 'delivered');
  await target.stop();
});

it('disabled endpoint keeps its events in order', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 410 });
  const documentId = await publishTagged('Gone then back');
  await waitForRows(target.rows, (rows) => Number(rows[0]?.attempts) === 1);
  expect((await services().endpoints.list()).results.find((e: any) => e.id === target.endpoint.id).enabled).toBe(false);

  const tagSets = [[skillA, skillB], [skillB], [skillA]];
  for (const skills of tagSets) {
    await courses(booted.strapi).update({ documentId, data: { skill_tags: skills.map(tag) } });
    await courses(booted.strapi).publish({ documentId });
  }
  const waiting = await target.rows();
  expect(waiting).toHaveLength(4);
  expect(waiting.every((row: any) => row.status !== 'delivered')).toBe(true);

  await services().endpoints.update(target.endpoint.id, { enabled: true });
  await waitForRows(target.rows, (rows) => rows.length === 4 && rows.every((row) => row.status === 'delivered'));
  const versions = target.receiver
    .delivered()
    .filter((event) => event.body.data.content_id === documentId)
    .map((event) => event.body.data.metadata_version);
  expect(versions).toEqual([1, 2, 3, 4]);
  await target.stop();
});

it('unreadable secret fails only its endpoint', async () => {
  const good = await withEndpoint();
  const broken = await withEndpoint();
  // A secret stored under another encryption key: the format is valid, the auth tag does not match.
  const foreign = `v1:${'00'.repeat(16)}:${'ab'.repeat(40)}:${'cd'.repeat(16)}`;
  await knex()('skill_mapping_endpoints').where({ id: broken.endpoint.id }).update({ secret_encrypted: foreign });

  await publishTagged('Broken secret');
  await waitForRows(good.rows, (rows) => rows[0]?.status === 'delivered');
  const [failed] = await waitForRows(broken.rows, (rows) => Number(rows[0]?.attempts) >= 1);
  expect(failed.status).not.toBe('delivered');
  expect(failed.last_error).toContain('ENDPOINT_SECRET_UNREADABLE');
  const flagged = (await services().endpoints.list()).results.find((e: any) => e.id === broken.endpoint.id);
  expect(flagged.flagged_reason).toContain('ENDPOINT_SECRET_UNREADABLE');
  expect(broken.receiver.events).toHaveLength(0);

  // Past the lease of the first round, the healthy endpoint still has its one event only.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(good.receiver.events).toHaveLength(1);

  const error = await services().endpoints.test(broken.endpoint.id).then(() => null, (caught: any) => caught);
  expect(error?.status).toBe(409);
  expect(error?.details?.code).toBe('ENDPOINT_SECRET_UNREADABLE');
  await good.stop();
  await broken.stop();
});

it('a slow endpoint does not hold back the delivery to another one', async () => {
  const fast = await withEndpoint();
  const slow = await withEndpoint();
  // Longer than the 2 s request timeout of the tests: the slow row ends as a timed-out attempt.
  slow.receiver.script({ status: 200, delayMs: 5_000 });

  await publishTagged('One slow receiver');
  await waitForRows(fast.rows, (rows) => rows[0]?.status === 'delivered');
  const [slowRow] = await slow.rows();
  expect(Number(slowRow.attempts)).toBe(0);
  expect(slow.receiver.events).toHaveLength(1);

  const [retried] = await waitForRows(slow.rows, (rows) => Number(rows[0]?.attempts) >= 1);
  expect(retried.last_error).toContain('timed out');
  await fast.stop();
  await slow.stop();
});

it('checks the URL rules again at delivery time', async () => {
  const target = await withEndpoint();
  // As if allowedHosts had been narrowed after the endpoint was saved: 127.0.0.2 is a loopback
  // address that the example app does not list.
  const port = new URL(target.receiver.url).port;
  await knex()('skill_mapping_endpoints').where({ id: target.endpoint.id }).update({ url: `http://127.0.0.2:${port}/hooks` });

  await publishTagged('Narrowed rules');
  const [row] = await waitForRows(target.rows, (rows) => Number(rows[0]?.attempts) >= 1);
  expect(row.status).not.toBe('delivered');
  expect(row.last_error).toContain('ENDPOINT_URL_REJECTED');
  const endpoint = (await services().endpoints.list()).results.find((e: any) => e.id === target.endpoint.id);
  expect(endpoint.flagged_reason).toContain('ENDPOINT_URL_REJECTED');
  await target.stop();
});

it('refuses to replay a row while it is being sent', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 200, delayMs: 1_000 });
  await publishTagged('In flight');
  await target.receiver.waitFor(() => target.receiver.events.length === 1);

  const [row] = await target.rows();
  const error = await services().deliveries.replayOne(row.id).then(() => null, (caught: any) => caught);
  expect(error?.status).toBe(409);
  expect(error?.details?.code).toBe('DELIVERY_IN_FLIGHT');
  await waitForRows(target.rows, (rows) => rows[0]?.status === 'delivered');
  await target.stop();
});

it('connection refused retries', async () => {
  const target = await withEndpoint();
  await target.receiver.stop();
  await publishTagged('Refused');
  const [row] = await waitForRows(target.rows, (rows) => Number(rows[0]?.attempts) >= 1);
  expect(row.last_error).toMatch(/ECONNREFUSED/);
  expect(row.status).not.toBe('dead');
  await services().endpoints.delete(target.endpoint.id);
});

it('replay from a cursor sends the events again', async () => {
  const target = await withEndpoint();
  const { cursor } = await services().feed.changes({ limit: '500' });
  await publishTagged('Replay A');
  await publishTagged('Replay B');
  await waitForRows(target.rows, (rows) => rows.length === 2 && rows.every((r) => r.status === 'delivered'));

  const { replayed } = await services().deliveries.replayFrom({ cursor, endpoint_id: target.endpoint.id });
  expect(replayed).toBe(2);
  await target.receiver.waitFor(() => target.receiver.delivered().length === 4);
  const ids = target.receiver.delivered().map((event) => event.body.event_id);
  expect(ids.slice(2).sort()).toEqual(ids.slice(0, 2).sort());
  await target.stop();
});

it('retention prunes old delivered rows only', async () => {
  const target = await withEndpoint();
  target.receiver.script({ status: 413 });
  await publishTagged('Old dead');
  await publishTagged('Old delivered');
  await waitForRows(target.rows, (rows) => rows.length === 2 && rows[0].status === 'dead' && rows[1].status === 'delivered');
  await target.receiver.stop();
  await publishTagged('Still pending');
  const before = await waitForRows(target.rows, (rows) => rows.length === 3);
  const { cursor: oldCursor } = await services().feed.changes({ limit: '1' });

  const later = Date.now() + 100 * 86_400_000;
  const pruned = await services().deliveries.prune(later);
  expect(pruned.outbox).toBeGreaterThanOrEqual(1);

  const after = await target.rows();
  expect(after[0].status).toBe('dead');
  expect(['pending', 'retrying']).toContain(after[1].status);
  expect(after.map((row: any) => Number(row.id))).toEqual([Number(before[0].id), Number(before[2].id)]);
  const error = await services().feed.changes({ cursor: oldCursor }).then(() => null, (caught: any) => caught);
  expect(error?.details?.code).toBe('CURSOR_EXPIRED');
  expect(error?.status).toBe(410);
  await services().endpoints.delete(target.endpoint.id);
});
