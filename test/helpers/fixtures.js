'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('csv-parse/sync');
const { stringify } = require('csv-stringify/sync');
const { paths } = require('../../scripts/lib/paths');

const readCsv = (file, options = {}) => parse(fs.readFileSync(file), { bom: true, skip_empty_lines: true, ...options });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Skill UUIDs of the Moodle framework CSV: its competency idnumbers, which the connector maps. */
function frameworkSkillIds() {
  const rows = readCsv(path.join(paths.data, 'moodle_competency_framework_esco200.csv'), { columns: true });
  return rows.map((row) => row['Id number']).filter((id) => UUID.test(id));
}

/**
 * Writes a small catalog for suites that do not need all 2,334 skills: every mapped skill plus
 * `unmappedCount` skills the framework lacks, so both mapped and unmapped tags can be tested.
 * Returns the file and the ids of each kind.
 */
function writeTestCatalog(dir, unmappedCount = 10) {
  const mapped = new Set(frameworkSkillIds());
  const rows = readCsv(path.join(paths.data, 'skills.csv'), { columns: true });
  const mappedRows = rows.filter((row) => mapped.has(row.id));
  const unmappedRows = rows.filter((row) => !mapped.has(row.id)).slice(0, unmappedCount);

  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'skills-test.csv');
  fs.writeFileSync(file, stringify([...mappedRows, ...unmappedRows], { header: true, columns: Object.keys(rows[0]) }));
  return {
    file,
    mapped: mappedRows.map((row) => ({ skill_id: row.id, name: row.name })),
    unmapped: unmappedRows.map((row) => ({ skill_id: row.id, name: row.name })),
  };
}

module.exports = { frameworkSkillIds, writeTestCatalog };
