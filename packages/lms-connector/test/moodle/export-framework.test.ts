import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Command } from 'commander';
import { exportFramework, registerMoodleCommands } from '../../src/cli/moodle';
import { ConfigError } from '../../src/config';
import { openDb } from '../../src/db/connection';
import { migrateToLatest } from '../../src/db/migrations';
import { type MoodleDouble, startMoodleDouble } from './double/server';
import { loadFixtureSkills } from './memory-context';

const SKILLS = loadFixtureSkills();
const MAPPING = 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2';

let dir: string;
let databaseUrl: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-moodle-export-'));
  databaseUrl = path.join(dir, 'connector.db');
  const db = openDb(databaseUrl);
  await migrateToLatest(db.kysely, db.dialect);
  const rows = SKILLS.map((skill, index) => ({
    skill_id: skill.skill_id,
    name: skill.name,
    alt_names: '[]',
    description: skill.description ?? null,
    uri: null,
    framework: 'ESCO',
    // The second skill is deprecated in favour of the first, to show the cross-reference column.
    status: index === 1 ? 'deprecated' : 'active',
    superseded_by: index === 1 ? SKILLS[0]!.skill_id : null,
    version: 1,
    updated_at: '2026-08-01T12:00:00.000Z',
  }));
  for (let start = 0; start < rows.length; start += 50) {
    await db.kysely.insertInto('skill').values(rows.slice(start, start + 50)).execute();
  }
  await db.close();
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function readCsv(file: string): string[][] {
  return parse(fs.readFileSync(file, 'utf8'), { relax_column_count: false }) as string[][];
}

describe('moodle export-framework', () => {
  test('writes the framework and 200 competencies', async () => {
    const file = path.join(dir, 'framework.csv');

    const count = await exportFramework(file, {
      scaleValues: 'Not yet competent, Competent',
      env: { DATABASE_URL: databaseUrl, MOODLE_SCALE_ID: '2', MOODLE_SCALE_MAPPING: MAPPING, MOODLE_FRAMEWORK_IDNUMBER: 'esco-200' },
    });
    const text = fs.readFileSync(file, 'utf8');
    const rows = readCsv(file);

    expect(count).toBe(200);
    expect(text.split('\n')[0]).toBe(
      '"Parent id number","Id number",Shortname,Description,"Description format","Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross referenced competency id numbers","Exported id (optional)","Is framework",Taxonomy',
    );
    expect(rows).toHaveLength(202);
    expect(rows.every((row) => row.length === 14)).toBe(true);
    expect(rows[1]).toEqual([
      '',
      'esco-200',
      'Skill catalog',
      '',
      '2',
      'Not yet competent,Competent',
      '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]',
      '',
      '',
      '',
      '',
      '',
      '1',
      'skill',
    ]);
    const byIdnumber = new Map(rows.slice(2).map((row) => [row[1], row]));
    for (const skill of SKILLS) {
      expect(byIdnumber.get(skill.skill_id)?.[2]).toBe(skill.name);
      expect(byIdnumber.get(skill.skill_id)?.[3]).toBe(skill.description ?? '');
    }
    expect(byIdnumber.get(SKILLS[1]!.skill_id)?.[10]).toBe(SKILLS[0]!.skill_id);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
  });

  test('reads scale values from Moodle', async () => {
    const double: MoodleDouble = await startMoodleDouble();
    double.addToken('exp0rt');
    const file = path.join(dir, 'online.csv');
    try {
      await exportFramework(file, {
        env: { DATABASE_URL: databaseUrl, MOODLE_URL: double.url, MOODLE_TOKEN: 'exp0rt', MOODLE_SCALE_ID: '3', MOODLE_SCALE_MAPPING: 'beginner:1,intermediate:2,advanced:3,expert:4,default:1,proficient:3|4' },
      });
    } finally {
      await double.stop();
    }

    expect(readCsv(file)[1]?.[5]).toBe('Beginner,Intermediate,Advanced,Expert');
  });

  test('rejects a mapping outside the scale and writes nothing', async () => {
    const file = path.join(dir, 'bad.csv');

    await expect(
      exportFramework(file, { scaleValues: 'Not yet competent,Competent', env: { DATABASE_URL: databaseUrl, MOODLE_SCALE_ID: '2', MOODLE_SCALE_MAPPING: 'beginner:1,default:1,proficient:3' } }),
    ).rejects.toThrow(ConfigError);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
  });

  test('runs as a CLI subcommand', async () => {
    const file = path.join(dir, 'cli.csv');
    const saved = { ...process.env };
    Object.assign(process.env, { DATABASE_URL: databaseUrl, MOODLE_SCALE_ID: '2', MOODLE_SCALE_MAPPING: MAPPING });
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const program = new Command('skill-connector').option('-c, --config <file>').exitOverride();
      registerMoodleCommands(program);
      await program.parseAsync(['node', 'skill-connector', 'moodle', 'export-framework', file, '--scale-values', 'Not yet competent,Competent']);
    } finally {
      write.mockRestore();
      process.env = saved;
    }

    expect(written.join('')).toContain('Wrote 200 competencies');
    expect(readCsv(file)).toHaveLength(202);
  });
});
