'use strict';

// Runs the plugin benchmarks and prints ratios against baselines measured in the same run:
// - tagged save (update + publish) with the plugin vs the same save without its document middleware;
// - outbox drain rate vs posting the same bodies straight to the same receiver.
// Usage: npm run bench -w @skill-mapping/strapi-plugin  (BENCH_SAVES, BENCH_EVENTS to resize)
const { execFileSync } = require('child_process');
const path = require('path');
const { build } = require('./common');

function runSide(script, env) {
  const output = execFileSync(process.execPath, [path.join(__dirname, script)], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = output.trim().split('\n').filter((text) => text.startsWith('{')).pop();
  return JSON.parse(line);
}

async function main() {
  await build();
  // Two rounds in alternating order, keeping each side's better median, so a cold first process
  // does not decide the ratio.
  const runs = [];
  for (let round = 0; round < 2; round++) {
    runs.push({ side: 'baseline', ...runSide('save-latency.js', { SKILL_MAPPING_BENCH_BYPASS_RECORDER: '1' }) });
    runs.push({ side: 'plugin', ...runSide('save-latency.js', {}) });
  }
  const best = (side) => runs.filter((run) => run.side === side).sort((a, b) => a.median_ms - b.median_ms)[0];
  const baseline = best('baseline');
  const plugin = best('plugin');
  for (const run of runs) console.log(`  ${run.side.padEnd(8)} median ${run.median_ms.toFixed(2)} ms, p95 ${run.p95_ms.toFixed(2)} ms`);
  const drain = runSide('drain.js', {});

  console.log(`tagged save, median: ${plugin.median_ms.toFixed(2)} ms with the plugin, ${baseline.median_ms.toFixed(2)} ms without (ratio ${(plugin.median_ms / baseline.median_ms).toFixed(2)}x, target <= 1.2x)`);
  console.log(`tagged save, p95:    ${plugin.p95_ms.toFixed(2)} ms with the plugin, ${baseline.p95_ms.toFixed(2)} ms without (ratio ${(plugin.p95_ms / baseline.p95_ms).toFixed(2)}x)`);
  console.log(`outbox rows written: ${plugin.outbox_rows} with the plugin, ${baseline.outbox_rows} without`);
  console.log(`outbox drain: ${drain.rate_per_s.toFixed(0)} events/s (${drain.delivered}/${drain.events} delivered in ${drain.seconds.toFixed(2)} s, target >= 1000/s); plain POST of the same bodies: ${drain.raw_post_rate_per_s.toFixed(0)}/s (ratio ${(drain.rate_per_s / drain.raw_post_rate_per_s).toFixed(2)})`);
}

main().catch((error) => {
  console.error(`benchmark failed: ${error.message}`);
  process.exit(1);
});
