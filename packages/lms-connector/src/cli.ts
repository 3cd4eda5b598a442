import fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { adapterCommands } from './adapters';
import { ConfigError, type ConnectorConfig, loadConfig } from './config';
import { type Db, openDb } from './db/connection';
import { migrateToLatest } from './db/migrations';
import { acquireServeLock, ServeLockError } from './db/serve-lock';
import { KeyError, KeyStore, parseScopes, SCOPES } from './keys';
import { asyncStdout, createLogger } from './logger';
import { CsvImportError, parseMappingCsv } from './mappings/csv-import';
import { importMappings } from './mappings/store';
import { createMetrics } from './metrics';
import type { ReconcileProgress } from './reconcile/reconciler';
import { createConnector, createReconciler, loadServeConfig, resolveBands } from './service';
import { FeedCursorError } from './state/feed-read';
import { replayFrom } from './state/replay';

/** Exit codes: 0 success, 1 the command failed, 2 invalid configuration or usage. */
export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 2;

class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}

function configFrom(command: Command): ConnectorConfig {
  const options = command.optsWithGlobals<{ config?: string }>();
  return loadConfig(process.env, options.config ?? process.env.CONNECTOR_CONFIG_FILE);
}

/** Opens and migrates the database for a one-shot command, runs `body`, and always closes it. */
async function withDb<T>(config: ConnectorConfig, body: (db: Db) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const db = openDb(config.DATABASE_URL, { poolMax: 2 });
  try {
    if (options.migrate !== false) await migrateToLatest(db.kysely, db.dialect);
    return await body(db);
  } finally {
    await db.close();
  }
}

const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

export function buildProgram(): Command {
  const program = new Command('skill-connector')
    .description('LMS connector for skill-mapping: receives signed CMS events, applies them in order, serves the pull API and reconciles with the CMS.')
    .option('-c, --config <file>', 'JSON file with settings (keys are the environment variable names); the environment wins. Default: $CONNECTOR_CONFIG_FILE')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('Run migrations, then serve the HTTP API and run the apply, adapter and reconciliation workers until SIGINT or SIGTERM.')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<{ config?: string }>();
      const config = loadServeConfig(process.env, options.config ?? process.env.CONNECTOR_CONFIG_FILE);
      const releaseLock = acquireServeLock(config.DATABASE_URL);
      const logger = createLogger(config.LOG_LEVEL, asyncStdout());
      let connector;
      try {
        connector = await createConnector({ config, env: process.env, logger });
        await connector.listen();
      } catch (error) {
        releaseLock();
        throw error;
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'stopping connector');
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await connector.close();
      releaseLock();
      logger.info('connector stopped');
      logger.flush();
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit.')
    .action(async (_options, command: Command) => {
      const config = configFrom(command);
      const applied = await withDb(
        config,
        async (db) => {
          const names = await migrateToLatest(db.kysely, db.dialect);
          process.stderr.write(`database: ${db.description}\n`);
          return names;
        },
        { migrate: false },
      );
      print(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'schema already current');
    });

  program
    .command('reconcile')
    .description('Reconcile with the CMS pull API (CMS_URL, CMS_API_TOKEN): delta from the stored cursor, or --full.')
    .option('--full', 'walk the whole CMS state and repair every difference, whatever the versions say')
    .option('--dry-run', 'with --full: report the counts without writing anything')
    .option('--no-progress', 'do not draw the progress bar on stderr')
    .action(async (options: { full?: boolean; dryRun?: boolean; progress: boolean }, command: Command) => {
      const config = configFrom(command);
      if (options.dryRun && !options.full) throw new CommandFailure('--dry-run works with --full only; run `skill-connector reconcile --full --dry-run`.', EXIT_CONFIG);
      const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, process.stderr as never);
      const report = await withDb(config, async (db) => {
        const metrics = createMetrics(async () => 0);
        const reconciler = createReconciler(config, db, logger, metrics, resolveBands(config));
        if (!reconciler) throw new CommandFailure('CMS_URL and CMS_API_TOKEN must be set to reconcile; set them and run again.', EXIT_CONFIG);

        const bar = options.progress ? new SingleBar({ format: '{phase} | {value} items | {pages} pages | page size {size}', stream: process.stderr, hideCursor: true }) : undefined;
        bar?.start(0, 0, { phase: 'start', pages: 0, size: 100 });
        const onProgress = (progress: ReconcileProgress) => {
          bar?.setTotal(progress.items);
          bar?.update(progress.items, { phase: progress.phase, pages: progress.pages, size: progress.pageSize });
        };
        try {
          return await reconciler.run(options.full ? 'full' : 'delta', { dryRun: options.dryRun, onProgress });
        } finally {
          bar?.stop();
        }
      });
      print(report);
    });

  const keys = program.command('keys').description('Manage API keys for the pull, mapping and admin routes.');
  keys
    .command('create')
    .description(`Create a key and print it once (only its SHA-256 hash is stored). Scopes: ${SCOPES.join(', ')}.`)
    .addOption(new Option('--scope <scope...>', 'one or more scopes').makeOptionMandatory())
    .option('--name <name>', 'label shown by `keys list`', 'unnamed')
    .action(async (options: { scope: string[]; name: string }, command: Command) => {
      const config = configFrom(command);
      const scopes = parseScopes(options.scope);
      const created = await withDb(config, (db) => new KeyStore(db).create(options.name, scopes));
      process.stderr.write(`created key ${created.info.id} (${created.info.name}) with scopes ${scopes.join(', ')}; it is shown only once:\n`);
      print(created.key);
    });
  keys
    .command('list')
    .description('List keys (id, name, scopes, created, revoked, last used); keys themselves are never shown again.')
    .action(async (_options, command: Command) => {
      const config = configFrom(command);
      print(await withDb(config, (db) => new KeyStore(db).list()));
    });
  keys
    .command('revoke')
    .description('Revoke a key by its id (the 12 hex characters after skc_).')
    .argument('<id>', 'key id from `keys list`')
    .action(async (id: string, _options, command: Command) => {
      const config = configFrom(command);
      await withDb(config, (db) => new KeyStore(db).revoke(id));
      print(`revoked key ${id}`);
    });

  const mappings = program.command('mappings').description('Manage the skill and content mapping table.');
  mappings
    .command('import')
    .description('Import a CSV: skill_id,lms_competency_id or content_id,lms_course_id, or a Moodle competency framework export (tool_lpimportcsv). All rows or none are written.')
    .argument('<file>', 'CSV file (UTF-8, optional BOM, "," or ";" delimited)')
    .action(async (file: string, _options, command: Command) => {
      const config = configFrom(command);
      let text: Buffer;
      try {
        text = fs.readFileSync(file);
      } catch (error) {
        throw new CommandFailure(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code}); check the path.`);
      }
      const parsed = parseMappingCsv(text);
      print(await withDb(config, (db) => importMappings(db, parsed, config.LMS_ADAPTER)));
    });

  program
    .command('replay')
    .description('Queue LMS adapter tasks for every content item changed after a feed cursor, so the adapter pushes them again.')
    .requiredOption('--from <cursor>', 'a cursor from GET /content/changes, or an RFC 3339 timestamp (inclusive)', (value: string) => {
      if (value.trim() === '') throw new InvalidArgumentError('the cursor is empty');
      return value;
    })
    .action(async (options: { from: string }, command: Command) => {
      const config = configFrom(command);
      print(await withDb(config, (db) => replayFrom(db, options.from)));
    });

  for (const register of adapterCommands) register(program);
  return program;
}

/** Runs the CLI and returns the process exit code; error messages go to stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return EXIT_CONFIG;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    if (error instanceof CommandFailure) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof KeyError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return error.code === 'KEY_SCOPE_INVALID' ? EXIT_CONFIG : EXIT_FAILURE;
    }
    if (error instanceof CsvImportError) {
      process.stderr.write(`${error.code}: ${error.message}\n${error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof ServeLockError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof FeedCursorError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`skill-connector failed: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
}
