'use strict';

// Outbox drain benchmark, run in its own process: fills the outbox with N events for one local
// receiver, then times the delivery worker until every row is delivered. The baseline is the same
// bodies posted straight to the same receiver with the same concurrency and no database. Prints
// one JSON line.
const crypto = require('crypto');
const http = require('http');
const axios = require('axios');
const { bootStrapi, subsetCsv } = require('./common');

async function rawPostRate(url, bodies, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        await axios.post(url, body, { headers: { 'content-type': 'application/json' }, httpAgent: agent, transformRequest: [(data) => data] });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return bodies.length / seconds;
}

async function main() {
  const events = Number(process.env.BENCH_EVENTS || 5000);
  // The worker polls once at start (empty outbox), then only when woken: the timing starts with a full outbox.
  process.env.SKILL_MAPPING_POLL_INTERVAL_MS = '3600000';
  process.env.SKILL_MAPPING_BATCH_SIZE = process.env.SKILL_MAPPING_BATCH_SIZE || '200';
  process.env.SKILL_MAPPING_CONCURRENCY = process.env.SKILL_MAPPING_CONCURRENCY || '32';
  const { strapi, close } = await bootStrapi();
  let received = 0;
  const receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.end('ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/hooks`;

  try {
    await strapi.plugin('skill-mapping').service('catalog').import('csv', subsetCsv());
    const { endpoint } = await strapi.plugin('skill-mapping').service('endpoints').create({ url, event_types: [], content_types: [], enabled: true });

    const now = Date.now();
    const rows = Array.from({ length: events }, (_, index) => {
      const eventId = crypto.randomUUID();
      const body = JSON.stringify({
        event_id: eventId,
        event_type: 'content.tag.updated',
        schema_version: 1,
        timestamp: new Date(now).toISOString(),
        source: 'cms',
        data: { content_id: `bench-${index}`, content_type: 'api::course.course', locale: 'en', title: `Bench ${index}`, skill_tags: [], metadata_version: 1, updated_at: new Date(now).toISOString(), deleted: false, changes: { added: [], removed: [] } },
      });
      return { event_id: eventId, event_type: 'content.tag.updated', endpoint_id: endpoint.id, content_id: `bench-${index}`, locale: 'en', ordering_key: `c:bench-${index}:en`, metadata_version: 1, body, status: 'pending', attempts: 0, next_attempt_ms: now, created_ms: now };
    });
    for (let start = 0; start < rows.length; start += 200) {
      await strapi.db.connection('skill_mapping_outboxes').insert(rows.slice(start, start + 200));
    }

    const started = process.hrtime.bigint();
    await strapi.plugin('skill-mapping').service('deliveries').drain();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const delivered = await strapi.db.connection('skill_mapping_outboxes').where({ status: 'delivered' }).count({ n: '*' }).first();
    const baseline = await rawPostRate(url, rows.map((row) => row.body), Number(process.env.SKILL_MAPPING_CONCURRENCY));
    console.log(JSON.stringify({ events, delivered: Number(delivered.n), received, seconds, rate_per_s: events / seconds, raw_post_rate_per_s: baseline }));
  } finally {
    receiver.close();
    await close();
  }
}

main().catch((error) => {
  console.error(`drain benchmark failed: ${error.stack || error}`);
  process.exit(1);
});
