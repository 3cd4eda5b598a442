'use strict';

const fs = require('node:fs');

/**
 * Lists the processes whose environment contains `name=value`. The demo passes its folder to every
 * child as SKILL_MAPPING_DEMO_DIR, so this finds Strapi, the connector and anything they started.
 */
function processesWithEnv(name, value) {
  const needle = `${name}=${value}`;
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ;
    try {
      environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(needle)) {
      let command = '';
      try {
        command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        // The process exited between the two reads.
      }
      found.push({ pid: Number(entry), command });
    }
  }
  return found;
}

module.exports = { processesWithEnv };
