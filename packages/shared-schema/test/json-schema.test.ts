import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { buildJsonSchemas, EVENT_TYPES } from '../src';

const packageRoot = path.resolve(__dirname, '..');
const schemaDir = path.join(packageRoot, 'schema');

describe('committed JSON Schema files', () => {
  const generated = buildJsonSchemas();

  test('one file for the envelope and each event type', () => {
    expect(Object.keys(generated).sort()).toEqual(
      ['event-envelope.schema.json', ...EVENT_TYPES.map((type) => `${type}.schema.json`)].sort(),
    );
  });

  test.each(Object.keys(buildJsonSchemas()))('%s is up to date', (file) => {
    const committed = JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8'));
    // A failure here means the zod schemas changed: run `npm run build && npm run generate:schema` in the package.
    expect(committed).toEqual(generated[file]);
  });

  test('no stray schema files', () => {
    expect(fs.readdirSync(schemaDir).sort()).toEqual(Object.keys(generated).sort());
  });
});

describe('built package', () => {
  const dist = path.join(packageRoot, 'dist');
  const built = fs.existsSync(path.join(dist, 'index.js')) && fs.existsSync(path.join(dist, 'index.mjs'));

  test('loads with require and import', () => {
    // The root test script builds first; a missing dist means that step was skipped.
    expect(built).toBe(true);

    const script = [
      "const cjs = require('@skill-mapping/shared-schema');",
      "import('@skill-mapping/shared-schema').then((esm) => {",
      "  const names = ['parseEvent', 'signWebhook', 'verifyWebhook', 'encodeCursor', 'deriveProficiency'];",
      "  const ok = names.every((name) => typeof cjs[name] === 'function' && typeof esm[name] === 'function');",
      "  process.stdout.write(ok ? 'both' : 'missing');",
      '});',
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], { cwd: packageRoot, encoding: 'utf8' });
    expect(output).toBe('both');
  });
});
