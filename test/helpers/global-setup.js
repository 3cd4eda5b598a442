'use strict';

const path = require('node:path');
const { ensureBuilds } = require('../../scripts/lib/builds');
const { missingPieces } = require('./requirements');

/**
 * Builds every package and the Strapi admin panel once per run, with the same make-style check as
 * `npm start`, so a build made by `npm run build` earlier in the run is reused and never redone per suite.
 */
module.exports = async function globalSetup() {
  if (missingPieces().length > 0) return;
  await ensureBuilds({
    logDir: path.join(__dirname, '..', 'artifacts', 'logs'),
    log: (line) => process.stdout.write(`${line}\n`),
  });
};
