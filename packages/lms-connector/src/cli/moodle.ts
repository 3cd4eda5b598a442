import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { MoodleClient } from '../adapters/moodle/client';
import { loadMoodleConfig, parseScaleMapping } from '../adapters/moodle/config';
import { writeFrameworkCsv } from '../adapters/moodle/framework-csv';
import { MoodleApi, type MoodleScaleValue } from '../adapters/moodle/functions';
import { buildScaleConfiguration, itemsOutsideScale } from '../adapters/moodle/scale';
import { ConfigError, loadConfig } from '../config';
import { openDb } from '../db/connection';
import { migrateToLatest } from '../db/migrations';
import { createAdapterContext } from '../lms/context';
import { createLogger } from '../logger';
import { enqueueAdapterTask } from '../state/adapter-tasks';

export interface ExportFrameworkOptions {
  /** Comma-separated scale item names; when unset they are read from Moodle with the MOODLE_* settings. */
  scaleValues?: string;
  env: NodeJS.ProcessEnv;
  /** JSON settings file overlaid by `env`, as for every other command. */
  configFile?: string;
}

interface ScaleSettings {
  scaleId: number;
  values: MoodleScaleValue[];
  configuration: string;
}

/** Resolves the scale offline from `--scale-values`, or online through get_scale_values. */
async function resolveScale(options: ExportFrameworkOptions): Promise<ScaleSettings> {
  const env = options.env;
  if (options.scaleValues === undefined) {
    const config = loadMoodleConfig(env);
    const api = new MoodleApi(new MoodleClient({ baseUrl: config.url, token: config.token, timeoutMs: config.timeoutMs }));
    const values = await api.getScaleValues(config.scaleId);
    return checkedScale(config.scaleId, env.MOODLE_SCALE_MAPPING ?? '', values);
  }

  const scaleId = Number(env.MOODLE_SCALE_ID);
  if (!Number.isInteger(scaleId) || scaleId < 1) {
    throw new ConfigError([`MOODLE_SCALE_ID=${JSON.stringify(env.MOODLE_SCALE_ID ?? '')}: missing or not a positive integer; set the id of the scale the framework uses`]);
  }
  const values = options.scaleValues
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name, index) => ({ id: index + 1, name }));
  if (values.length === 0) throw new ConfigError([`--scale-values=${JSON.stringify(options.scaleValues)}: no scale item given; list the items in order, e.g. "Not yet competent,Competent"`]);
  return checkedScale(scaleId, env.MOODLE_SCALE_MAPPING ?? '', values);
}

function checkedScale(scaleId: number, mappingText: string, values: MoodleScaleValue[]): ScaleSettings {
  const { mapping, problems } = parseScaleMapping(mappingText);
  if (!mapping) throw new ConfigError(problems.map((problem) => `MOODLE_SCALE_MAPPING=${JSON.stringify(mappingText)}: ${problem}`));
  const outside = itemsOutsideScale(mapping, values);
  if (outside.length > 0) {
    throw new ConfigError([`MOODLE_SCALE_MAPPING=${JSON.stringify(mappingText)}: names items ${outside.join(', ')} but the scale has only ${values.length}; fix the mapping or the scale values`]);
  }
  return { scaleId, values, configuration: buildScaleConfiguration(scaleId, mapping, values) };
}

/**
 * Writes the connector's catalog to FILE as a tool_lpimportcsv framework. The file is written beside the
 * target and renamed at the end, so a failed export leaves no half-written file.
 */
export async function exportFramework(file: string, options: ExportFrameworkOptions): Promise<number> {
  const config = loadConfig(options.env, options.configFile);
  const scale = await resolveScale(options);
  const db = openDb(config.DATABASE_URL, { poolMax: 2 });
  const target = path.resolve(file);
  const partial = `${target}.partial`;
  const out = fs.createWriteStream(partial, { encoding: 'utf8' });

  try {
    await migrateToLatest(db.kysely, db.dialect);
    const context = createAdapterContext(db, createLogger('silent'));
    const count = await writeFrameworkCsv(
      context.listSkills(),
      {
        idnumber: options.env.MOODLE_FRAMEWORK_IDNUMBER || 'skill-mapping',
        shortname: options.env.MOODLE_FRAMEWORK_SHORTNAME || 'Skill catalog',
        scaleValues: scale.values,
        scaleConfiguration: scale.configuration,
      },
      (chunk) => new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve()))),
    );
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    fs.renameSync(partial, target);
    return count;
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await db.close();
  }
}

/**
 * Queues a full catalog push for the adapter worker of a running connector. The worker handles it like
 * any other task: retried on network errors, kept pending while the adapter is paused.
 */
export async function queueCatalogPush(options: { env: NodeJS.ProcessEnv; configFile?: string }): Promise<void> {
  const config = loadConfig(options.env, options.configFile);
  const db = openDb(config.DATABASE_URL, { poolMax: 2 });
  try {
    await migrateToLatest(db.kysely, db.dialect);
    await enqueueAdapterTask(db.kysely, { kind: 'catalog' }, new Date().toISOString());
  } finally {
    await db.close();
  }
}

/**
 * Adds `skill-connector moodle export-framework FILE` and `skill-connector moodle push-catalog`. Errors are thrown to the CLI's main function, which
 * prints them and exits with 2 for invalid settings and 1 for failures.
 */
export function registerMoodleCommands(program: Command): void {
  const moodle = program.command('moodle').description('Moodle adapter tools.');
  moodle
    .command('export-framework')
    .description('Write the skill catalog as a Moodle competency framework CSV for Site administration > Competencies > Import competency framework.')
    .argument('<file>', 'CSV file to write; replaced only when the export succeeds')
    .option('--scale-values <names>', 'comma-separated scale item names; read from Moodle with MOODLE_URL and MOODLE_TOKEN when left out')
    .action(async (file: string, flags: { scaleValues?: string }, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      const count = await exportFramework(file, {
        scaleValues: flags.scaleValues,
        env: process.env,
        configFile: globals.config ?? process.env.CONNECTOR_CONFIG_FILE,
      });
      process.stdout.write(`Wrote ${count} competencies to ${path.resolve(file)}\n`);
    });

  moodle
    .command('push-catalog')
    .description('Queue a push of the whole skill catalog to Moodle; the running connector creates missing competencies and renames changed ones.')
    .action(async (_flags: unknown, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      await queueCatalogPush({ env: process.env, configFile: globals.config ?? process.env.CONNECTOR_CONFIG_FILE });
      process.stdout.write('Queued the catalog push; follow it with GET /adapter/tasks?status=pending\n');
    });
}
