#!/usr/bin/env node
// Runs the compiled CLI; `npm run build -w @skill-mapping/lms-connector` produces dist/.
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('skill-connector is not built: run `npm run build -w @skill-mapping/lms-connector` first.\n');
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
