import fs from 'fs';
import path from 'path';
import { parse } from 'csv-parse/sync';

export const dataDir = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'data');

export function readSubsetCsv(): string {
  return fs.readFileSync(path.join(dataDir, 'skills_subset_200.csv'), 'utf8');
}

/** Returns the first `count` skills of the 200-skill subset as { id, name }. */
export function subsetSkills(count: number): Array<{ id: string; name: string }> {
  const rows = parse(readSubsetCsv(), { columns: true, skip_empty_lines: true }) as Array<{ id: string; name: string }>;
  return rows.slice(0, count).map((row) => ({ id: row.id, name: row.name }));
}
