'use strict';

// One side of the save benchmark, run in its own process: times "update the tags of a published
// course, then publish" on the example app. With SKILL_MAPPING_BENCH_BYPASS_RECORDER=1 the
// plugin's document middleware is not installed, which is the baseline. Prints one JSON line.
const http = require('http');
const { parse } = require('csv-parse/sync');
const { bootStrapi, percentile, subsetCsv } = require('./common');

async function main() {
  const saves = Number(process.env.BENCH_SAVES || 200);
  const warmup = 20;
  process.env.SKILL_MAPPING_WORKER = '0';
  const { strapi, close } = await bootStrapi();
  const receiver = http.createServer((request, response) => response.end('ok'));
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    await strapi.plugin('skill-mapping').service('catalog').import('csv', subsetCsv());
    // An endpoint makes the plugin write an outbox row per save, as in production.
    await strapi.plugin('skill-mapping').service('endpoints').create({ url: `http://127.0.0.1:${receiver.address().port}/`, event_types: [], content_types: [], enabled: true });
    const skills = parse(subsetCsv(), { columns: true }).slice(0, 4);
    const tagSets = [skills.slice(0, 2), skills.slice(2, 4)].map((set) => set.map((skill) => ({ skill_id: skill.id, skill_name: skill.name, confidence: 1 })));

    const documents = strapi.documents('api::course.course');
    const doc = await documents.create({ data: { title: 'Benchmark course', skill_tags: tagSets[0] } });
    await documents.publish({ documentId: doc.documentId });

    const timings = [];
    for (let index = 0; index < saves + warmup; index++) {
      const started = process.hrtime.bigint();
      await documents.update({ documentId: doc.documentId, data: { skill_tags: tagSets[(index + 1) % 2] } });
      await documents.publish({ documentId: doc.documentId });
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (index >= warmup) timings.push(elapsed);
    }
    const outbox = await strapi.db.connection('skill_mapping_outboxes').count({ n: '*' }).first();
    console.log(JSON.stringify({ saves, median_ms: percentile(timings, 0.5), p95_ms: percentile(timings, 0.95), outbox_rows: Number(outbox.n) }));
  } finally {
    receiver.close();
    await close();
  }
}

main().catch((error) => {
  console.error(`save benchmark failed: ${error.stack || error}`);
  process.exit(1);
});
