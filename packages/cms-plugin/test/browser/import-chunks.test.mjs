/**
 * Unit tests of the Skills page's import chunking, bundled from the admin source with esbuild
 * because Node 20 cannot import TypeScript.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { build } from 'esbuild';

import { PLUGIN_DIR, SKILLS_CSV } from './support/paths.mjs';

let chunks;
let outDir;

before(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-import-chunks-'));
  const outfile = path.join(outDir, 'import-chunks.mjs');
  await build({
    entryPoints: [path.join(PLUGIN_DIR, 'admin', 'src', 'utils', 'importChunks.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'silent',
  });
  chunks = await import(pathToFileURL(outfile).href);
});

after(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('splitCsvRecords', () => {
  it('keeps quoted line breaks inside a record', () => {
    const records = chunks.splitCsvRecords('id,name\r\n1,"two\nlines"\r\n2,"a ""quoted"" word"\n');

    assert.deepEqual(records, ['id,name', '1,"two\nlines"', '2,"a ""quoted"" word"']);
  });

  it('drops blank lines and a missing final newline', () => {
    assert.deepEqual(chunks.splitCsvRecords('id\n\n1\n2'), ['id', '1', '2']);
  });
});

describe('buildImportChunks', () => {
  it('repeats the CSV header in every chunk', () => {
    const result = chunks.buildImportChunks('csv', 'id,name\n1,a\n2,b\n3,c\n', 2);

    assert.equal(result.length, 2);
    assert.equal(result[0].request.content, 'id,name\n1,a\n2,b');
    assert.equal(result[1].request.content, 'id,name\n3,c');
    assert.deepEqual(result.map((chunk) => chunk.rowOffset), [0, 2]);
    assert.deepEqual(result.map((chunk) => chunk.rowCount), [2, 1]);
  });

  it('splits a JSON array into JSON arrays', () => {
    const rows = [{ id: '1' }, { id: '2' }, { id: '3' }];
    const result = chunks.buildImportChunks('json', JSON.stringify(rows), 2);

    assert.deepEqual(JSON.parse(result[0].request.content), rows.slice(0, 2));
    assert.deepEqual(JSON.parse(result[1].request.content), rows.slice(2));
    assert.equal(result[1].request.format, 'json');
  });

  it('rejects JSON that is not an array', () => {
    assert.throws(() => chunks.buildImportChunks('json', '{"id": "1"}'), { code: 'IMPORT_FILE_INVALID' });
    assert.throws(() => chunks.buildImportChunks('json', '[{'), { code: 'IMPORT_FILE_INVALID' });
  });

  it('rejects an empty CSV file', () => {
    assert.throws(() => chunks.buildImportChunks('csv', '\uFEFF\n'), { code: 'IMPORT_FILE_INVALID' });
  });

  it('covers every row of the ESCO file', () => {
    const content = fs.readFileSync(SKILLS_CSV, 'utf8');
    const result = chunks.buildImportChunks('csv', content);

    assert.equal(result.reduce((sum, chunk) => sum + chunk.rowCount, 0), 2334);
    assert.ok(result.every((chunk) => chunk.request.content.startsWith('id,uri,name,alt_names,description,group\n')));
  });
});
