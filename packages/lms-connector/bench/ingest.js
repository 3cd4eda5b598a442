#!/usr/bin/env node
// Ingest benchmark: signed POST /events against the connector and against a bare node:http server that
// reads the body and returns 202, with the same autocannon load in the same run. Prints events/s, p99
// latency and the ratio. Usage: npm run bench [-- --duration 10 --connections 10 --postgres URL]
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { signWebhook, generateWebhookSecret } = require('@skill-mapping/shared-schema');

function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const DURATION_SECONDS = Number(argument('duration', '10'));
const CONNECTIONS = Number(argument('connections', '10'));
const POSTGRES_URL = argument('postgres', process.env.BENCH_DATABASE_URL);
const SECRET = generateWebhookSecret();
const SKILL_IDS = Array.from({ length: 20 }, () => crypto.randomUUID());

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Builds a new signed content.tag.updated delivery for each request, as the CMS sends them. */
function setupRequest(request) {
  const eventId = crypto.randomUUID();
  const body = JSON.stringify({
    event_id: eventId,
    event_type: 'content.tag.updated',
    schema_version: 1,
    timestamp: new Date().toISOString(),
    source: 'cms',
    data: {
      content_id: `bench-${crypto.randomInt(5000)}`,
      content_type: 'api::course.course',
      locale: null,
      title: 'Benchmark course',
      metadata_version: Date.now() * 1000 + crypto.randomInt(1000),
      updated_at: new Date().toISOString(),
      deleted: false,
      skill_tags: SKILL_IDS.slice(0, 3 + crypto.randomInt(5)).map((skill_id, index) => ({ skill_id, skill_name: `Skill ${index}`, confidence: 0.5 + index / 20, source: 'ai' })),
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  request.method = 'POST';
  request.path = '/events';
  request.body = body;
  request.headers = {
    'content-type': 'application/json',
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook({ secrets: SECRET, id: eventId, timestamp, body }),
  };
  return request;
}

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, requests: [{ setupRequest }] }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function startBaseline() {
  const server = http.createServer((request, response) => {
    request.on('data', () => {});
    request.on('end', () => {
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end('{"accepted":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function startConnector(databaseUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'skill-connector.js'), 'serve'], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', WEBHOOK_SECRETS: SECRET, DATABASE_URL: databaseUrl, RECONCILE_INTERVAL_MS: '0', RECONCILE_FULL_INTERVAL_MS: '0', ...(process.env.BENCH_APPLY_ENABLED ? { APPLY_ENABLED: process.env.BENCH_APPLY_ENABLED } : {}) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 300) throw new Error('connector did not become ready within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, close: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

async function createPostgresDatabase(base) {
  const pg = require('pg');
  const name = `sm_connector_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

function summary(result) {
  return { eventsPerSecond: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors, total: result.requests.total };
}

async function main() {
  const postgres = POSTGRES_URL ? await createPostgresDatabase(POSTGRES_URL) : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-connector-bench-'));
  const databaseUrl = postgres ? postgres.url : path.join(dir, 'connector.db');
  const target = postgres ? 'PostgreSQL' : 'SQLite';

  const baseline = await startBaseline();
  const baselineResult = summary(await load(baseline.url));
  await baseline.close();

  const connector = await startConnector(databaseUrl);
  const connectorResult = summary(await load(connector.url));
  await connector.close();
  await postgres?.drop();
  fs.rmSync(dir, { recursive: true, force: true });

  const ratio = connectorResult.eventsPerSecond / baselineResult.eventsPerSecond;
  const line = (name, result) => `${name.padEnd(22)} ${result.eventsPerSecond.toFixed(0).padStart(8)} events/s   p99 ${String(result.p99Ms).padStart(4)} ms   non-2xx ${result.non2xx}   errors ${result.errors}`;
  process.stdout.write(
    [
      `ingest benchmark: ${DURATION_SECONDS} s per server, ${CONNECTIONS} connections, node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`,
      line('bare node:http 202', baselineResult),
      line(`connector (${target})`, connectorResult),
      `ratio connector/baseline: ${ratio.toFixed(2)}x   connector p99: ${connectorResult.p99Ms} ms`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
