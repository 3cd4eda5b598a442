'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { paths } = require('../../scripts/lib/paths');

const reference = fs.readFileSync(path.join(paths.repoRoot, 'docs', 'configuration.md'), 'utf8');

/**
 * Returns the names matched by `pattern` (first or second group) in a source file of the repository,
 * within the part that starts at `from` when given.
 */
function namesIn(file, pattern, from) {
  let text = fs.readFileSync(path.join(paths.repoRoot, file), 'utf8');
  if (from) text = text.slice(text.indexOf(from), text.indexOf('\n}', text.indexOf(from)));
  return [...new Set([...text.matchAll(pattern)].map((match) => match[1] || match[2]))];
}

const SOURCES = [
  { what: 'connector settings', file: 'packages/lms-connector/src/config/schema.ts', pattern: /^\s+([A-Z][A-Z0-9_]+):/gm },
  { what: 'Moodle adapter settings', file: 'packages/lms-connector/src/adapters/moodle/config.ts', pattern: /^\s+(MOODLE_[A-Z0-9_]+):/gm },
  { what: 'plugin environment overrides', file: 'packages/cms-plugin/server/src/config.ts', pattern: /\['(SKILL_MAPPING_[A-Z0-9_]+)'/g },
  { what: 'plugin config keys', file: 'packages/cms-plugin/server/src/config.ts', pattern: /^\s{2}([a-z][A-Za-z]+): /gm, from: 'export interface PluginConfig {' },
  { what: 'npm start variables', file: 'scripts/lib/stack.js', pattern: /env\.(SKILL_MAPPING_[A-Z_]+)|'(SKILL_MAPPING_[A-Z_]+_PORT)'/g },
];

describe('configuration reference', () => {
  test.each(SOURCES)('lists every $what', ({ file, pattern, from }) => {
    const names = namesIn(file, pattern, from).filter(Boolean);
    expect(names.length).toBeGreaterThan(0);

    const missing = names.filter((name) => !reference.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  test('connector section lists no removed setting', () => {
    const section = reference.slice(reference.indexOf('## Connector'), reference.indexOf('## Strapi plugin'));
    const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((match) => match[1]);
    const known = [
      ...namesIn(SOURCES[0].file, SOURCES[0].pattern),
      ...namesIn(SOURCES[1].file, SOURCES[1].pattern),
    ];

    expect(documented.length).toBeGreaterThan(0);
    expect(documented.filter((name) => !known.includes(name))).toEqual([]);
  });
});
