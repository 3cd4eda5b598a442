'use strict';

// Loads an ESCO skills CSV (default: the 2,334-skill file in examples/data) into the catalog.
// Idempotent: rows already present and unchanged are counted as unchanged.
// Usage: node scripts/import-skills.js [path/to/skills.csv]
const fs = require('fs');
const path = require('path');
const { appDir, loadStrapi } = require('./lib');

async function main() {
  const file = path.resolve(process.argv[2] || path.join(appDir, '..', 'data', 'skills.csv'));
  if (!fs.existsSync(file)) {
    console.error(`Skills file ${file} does not exist; pass the path of an ESCO CSV (id,uri,name,alt_names,description,group).`);
    process.exit(2);
  }
  const strapi = await loadStrapi();
  try {
    const report = await strapi.plugin('skill-mapping').service('catalog').import('csv', fs.readFileSync(file, 'utf8'));
    console.log(`Imported ${path.basename(file)}: created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected.length}`);
    for (const rejected of report.rejected.slice(0, 20)) console.log(`  row ${rejected.row}: ${rejected.reason}`);
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  console.error(`Skill import failed: ${error.message}`);
  process.exit(1);
});
