// Writes the JSON Schema files under schema/ from the built package; a test fails when they are stale.
const fs = require('node:fs');
const path = require('node:path');
const { buildJsonSchemas } = require('../dist/index.js');

const target = path.resolve(__dirname, '../schema');
fs.mkdirSync(target, { recursive: true });
for (const [file, document] of Object.entries(buildJsonSchemas())) {
  fs.writeFileSync(path.join(target, file), `${JSON.stringify(document, null, 2)}\n`);
}
console.log(`Wrote ${Object.keys(buildJsonSchemas()).length} schema files to ${target}`);
