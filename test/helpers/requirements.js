'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { paths } = require('../../scripts/lib/paths');

const hasFiles = (dir) => fs.existsSync(dir) && fs.readdirSync(dir).length > 0;

/**
 * Pieces of the product the end-to-end suites need, with a check that each exists in the working tree.
 * A suite whose piece is missing is reported as a todo naming it, not run against a stub.
 */
const PIECES = [
  { name: 'connector CLI (packages/lms-connector/bin/skill-connector.js)', present: () => fs.existsSync(paths.connectorBin) },
  { name: 'plugin server routes (packages/cms-plugin/server/src/routes)', present: () => hasFiles(path.join(paths.cmsPlugin, 'server', 'src', 'routes')) },
  { name: 'plugin server entry (packages/cms-plugin/server/src/index.ts)', present: () => fs.existsSync(path.join(paths.cmsPlugin, 'server', 'src', 'index.ts')) },
];

function missingPieces() {
  return PIECES.filter((piece) => !piece.present()).map((piece) => piece.name);
}

/**
 * Runs `describe`, or, when a piece (a shared one or one of `needs`) is missing, registers each planned
 * test as a todo naming the missing piece.
 */
function describeWhenReady(title, planned, body, { needs = [] } = {}) {
  const missing = [...missingPieces(), ...needs.filter((piece) => !piece.present()).map((piece) => piece.name)];
  if (missing.length === 0) return describe(title, body);
  return describe(title, () => {
    for (const name of planned) test.todo(`${name} (needs ${missing.join(', ')})`);
  });
}

/** Runs `describeWhenReady` once per row of `table`, with `$name` in the title replaced by `row.name`. */
describeWhenReady.each = (table) => (title, planned, body) => {
  for (const row of table) describeWhenReady(title.replace('$name', row.name), planned, () => body(row));
};

module.exports = { describeWhenReady, missingPieces };
