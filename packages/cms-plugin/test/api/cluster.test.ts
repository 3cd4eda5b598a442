import { spawn, type ChildProcess } from 'child_process';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import { verifyWebhook } from '@skill-mapping/shared-schema';
import { describeWithPostgres } from '../helpers/database';
import { appDir, bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { readSubsetCsv, subsetSkills } from '../helpers/catalog';
import { courses, pluginServices } from '../helpers/plugin';

const ITEMS = 40;
const VERSIONS_PER_ITEM = 3;

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describeWithPostgres('two Strapi processes on one database', () => {
  let booted: BootedStrapi;
  let secret = '';
  const children: ChildProcess[] = [];
  const inFlight = new Map<string, number>();
  const received = new Map<string, number>();
  const orderByItem = new Map<string, number[]>();
  let concurrentDuplicates = 0;
  let invalidSignatures = 0;

  // Holds each request briefly so two workers that claimed the same row would overlap here.
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      try {
        verifyWebhook({ secrets: [secret], headers, body: raw });
      } catch {
        invalidSignatures += 1;
      }
      const eventId = headers['webhook-id']!;
      if ((inFlight.get(eventId) ?? 0) > 0) concurrentDuplicates += 1;
      inFlight.set(eventId, (inFlight.get(eventId) ?? 0) + 1);
      setTimeout(() => {
        inFlight.set(eventId, inFlight.get(eventId)! - 1);
        received.set(eventId, (received.get(eventId) ?? 0) + 1);
        const body = JSON.parse(raw.toString('utf8'));
        const versions = orderByItem.get(body.data.content_id) ?? [];
        versions.push(body.data.metadata_version);
        orderByItem.set(body.data.content_id, versions);
        response.writeHead(200).end('ok');
      }, 15);
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // This in-test instance only writes content; the two child processes deliver.
    booted = await bootStrapi('cluster', { SKILL_MAPPING_WORKER: '0' });
    const services = pluginServices(booted.strapi);
    await services.catalog.import('csv', readSubsetCsv());
    const port = (receiver.address() as AddressInfo).port;
    ({ secret } = await services.endpoints.create({ url: `http://127.0.0.1:${port}/hooks`, event_types: [], content_types: [], enabled: true }));

    const skills = subsetSkills(VERSIONS_PER_ITEM);
    for (let item = 0; item < ITEMS; item++) {
      const doc = await courses(booted.strapi).create({ data: { title: `Cluster ${item}`, skill_tags: [] } });
      for (let version = 0; version < VERSIONS_PER_ITEM; version++) {
        const tags = skills.slice(0, version + 1).map((skill) => ({ skill_id: skill.id, confidence: 1 }));
        await courses(booted.strapi).update({ documentId: doc.documentId, data: { skill_tags: tags } });
        await courses(booted.strapi).publish({ documentId: doc.documentId });
      }
    }
  });

  afterAll(async () => {
    await Promise.all(children.map(stopChild));
    await booted?.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('delivers every event once, in order per item', async () => {
    const outbox = () => booted.strapi.db.connection('skill_mapping_outboxes');
    const count = async (query: any): Promise<number> => Number((await query.count({ n: '*' }).first()).n);
    expect(await count(outbox())).toBe(ITEMS * VERSIONS_PER_ITEM);

    for (let index = 0; index < 2; index++) {
      const child = spawn(process.execPath, [path.join(appDir, 'scripts', 'serve.js')], {
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SKILL_MAPPING_WORKER: '1', SKILL_MAPPING_BATCH_SIZE: '10', SKILL_MAPPING_CONCURRENCY: '4', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
    }

    const deadline = Date.now() + 90_000;
    for (;;) {
      const open = await count(outbox().whereNot({ status: 'delivered' }));
      if (open === 0) break;
      if (Date.now() > deadline) throw new Error(`${open} outbox rows still undelivered`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    expect(concurrentDuplicates).toBe(0);
    expect(invalidSignatures).toBe(0);
    expect(received.size).toBe(ITEMS * VERSIONS_PER_ITEM);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    for (const versions of orderByItem.values()) {
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
    // One attempt per event: no row was sent by both processes, one after the other either.
    expect(await count(booted.strapi.db.connection('skill_mapping_deliveries'))).toBe(ITEMS * VERSIONS_PER_ITEM);
  });
});
