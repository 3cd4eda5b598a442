import { DEFAULT_PROFICIENCY_BANDS, parseProficiencyBands, type ProficiencyBand, ProficiencyBandsError } from '@skill-mapping/shared-schema';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { adapterConfigChecks, adapterFactories, adapterNames } from './adapters';
import type { LmsAdapter } from './adapters/types';
import { ApplyWorker } from './apply/worker';
import { ConfigError, type ConnectorConfig, loadConfig, webhookSecrets } from './config';
import { type Db, openDb } from './db/connection';
import { migrateToLatest } from './db/migrations';
import { buildApp } from './http/app';
import { KeyStore } from './keys';
import { AdapterWorker } from './lms/adapter-worker';
import { createAdapterContext } from './lms/context';
import { createMetrics, type Metrics } from './metrics';
import { CmsClient } from './reconcile/cms-client';
import { Reconciler } from './reconcile/reconciler';
import { InboxWriter } from './state/inbox-writer';
import { pruneRetention } from './state/retention';

const INGEST_PRIORITY_MAX_MS = 50;

export interface Connector {
  config: ConnectorConfig;
  db: Db;
  app: FastifyInstance;
  metrics: Metrics;
  keys: KeyStore;
  applyWorker: ApplyWorker;
  adapterWorker: AdapterWorker;
  reconciler?: Reconciler;
  /** Binds the HTTP server(s) and starts the workers and timers; returns the bound address. */
  listen(): Promise<string>;
  /** Starts the background workers without binding a port (tests drive the app with inject). */
  startWorkers(): void;
  close(): Promise<void>;
}

export function resolveBands(config: Pick<ConnectorConfig, 'PROFICIENCY_BANDS'>): readonly ProficiencyBand[] {
  if (!config.PROFICIENCY_BANDS) return DEFAULT_PROFICIENCY_BANDS;
  try {
    return parseProficiencyBands(config.PROFICIENCY_BANDS);
  } catch (error) {
    if (error instanceof ProficiencyBandsError) throw new ConfigError([`PROFICIENCY_BANDS=${JSON.stringify(config.PROFICIENCY_BANDS)}: ${error.message}`]);
    throw error;
  }
}

type ServeSettings = Partial<Record<'WEBHOOK_SECRETS' | 'CMS_URL' | 'CMS_API_TOKEN' | 'LMS_ADAPTER' | 'PROFICIENCY_BANDS', unknown>>;

/**
 * Lists the problems of the settings `serve` needs beyond their types, one line each: webhook secrets,
 * the CMS pair, proficiency bands, and the adapter with its own settings read from `env`.
 */
export function serveConfigProblems(values: ServeSettings, env: NodeJS.ProcessEnv = {}): string[] {
  const lines: string[] = [];
  const secrets = webhookSecrets({ WEBHOOK_SECRETS: typeof values.WEBHOOK_SECRETS === 'string' ? values.WEBHOOK_SECRETS : undefined });
  if (secrets.length === 0) lines.push('WEBHOOK_SECRETS: missing; set one or more whsec_ secrets (the same as the CMS endpoint\'s signing secret)');
  secrets.forEach((secret, index) => {
    const body = secret.startsWith('whsec_') ? secret.slice(6) : secret;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || Buffer.from(body, 'base64').length < 16) {
      lines.push(`WEBHOOK_SECRETS: secret #${index + 1} (value hidden) is not whsec_ followed by base64 of at least 16 bytes; copy it again from the CMS endpoint settings`);
    }
  });
  if (values.CMS_URL && !values.CMS_API_TOKEN) lines.push('CMS_API_TOKEN: missing while CMS_URL is set; create a read-only API token in Strapi and set it');
  if (values.CMS_API_TOKEN && !values.CMS_URL) lines.push('CMS_URL: missing while CMS_API_TOKEN is set; set the CMS base URL (e.g. http://127.0.0.1:1337) or unset CMS_API_TOKEN');

  if (typeof values.PROFICIENCY_BANDS === 'string' && values.PROFICIENCY_BANDS !== '') {
    try {
      resolveBands({ PROFICIENCY_BANDS: values.PROFICIENCY_BANDS });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      lines.push(...error.lines);
    }
  }

  const adapterName = typeof values.LMS_ADAPTER === 'string' && values.LMS_ADAPTER !== '' ? values.LMS_ADAPTER : 'none';
  const check = adapterConfigChecks[adapterName];
  if (!adapterFactories[adapterName]) lines.push(`LMS_ADAPTER=${JSON.stringify(adapterName)}: unknown adapter; use one of ${adapterNames().join(', ')}`);
  else if (check) lines.push(...check(env));
  return lines;
}

/** Checks the settings `serve` needs beyond their types; throws ConfigError with one line per problem. */
export function checkServeConfig(config: ConnectorConfig, env: NodeJS.ProcessEnv = {}): void {
  const lines = serveConfigProblems(config, env);
  if (lines.length > 0) throw new ConfigError(lines);
}

/**
 * Loads the settings for `serve` and reports every problem at once: the typed settings, then the
 * checks of `serveConfigProblems` on the same raw values.
 */
export function loadServeConfig(env: NodeJS.ProcessEnv, configFile?: string): ConnectorConfig {
  try {
    const config = loadConfig(env, configFile);
    checkServeConfig(config, env);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError) || Object.keys(error.values).length === 0) throw error;
    throw new ConfigError([...error.lines, ...serveConfigProblems(error.values, env)]);
  }
}

export function createReconciler(config: ConnectorConfig, db: Db, logger: Logger, metrics: Metrics, bands: readonly ProficiencyBand[]): Reconciler | undefined {
  if (!config.CMS_URL || !config.CMS_API_TOKEN) return undefined;
  const cms = new CmsClient({ baseUrl: config.CMS_URL, pullPath: config.CMS_PULL_PATH, token: config.CMS_API_TOKEN, timeoutMs: config.CMS_TIMEOUT_MS });
  return new Reconciler({
    db,
    cms,
    logger: logger.child({ component: 'reconcile' }),
    metrics,
    bands,
    slowPageMs: config.RECONCILE_SLOW_PAGE_MS,
    maxRetries: config.RECONCILE_MAX_RETRIES,
    retryBaseMs: config.RECONCILE_RETRY_BASE_MS,
  });
}

/**
 * Builds the whole service on one database: migrations, HTTP app, apply worker, adapter worker and
 * reconciliation timers. Nothing listens until `listen` is called.
 */
export async function createConnector(options: { config: ConnectorConfig; env: NodeJS.ProcessEnv; logger: Logger }): Promise<Connector> {
  const { config, env, logger } = options;
  checkServeConfig(config, env);
  const bands = resolveBands(config);

  const db = openDb(config.DATABASE_URL, { poolMax: config.DATABASE_POOL_MAX });
  try {
    const applied = await migrateToLatest(db.kysely, db.dialect);
    logger.info({ database: db.description, migrations: applied }, applied.length > 0 ? 'migrations applied' : 'database schema current');
  } catch (error) {
    await db.close();
    throw error;
  }

  const metrics = createMetrics(async () => {
    const row = await db.kysely.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('count')).where('status', '=', 'pending').executeTakeFirst();
    return Number(row?.count ?? 0);
  });
  const keys = new KeyStore(db);

  let adapter: LmsAdapter;
  try {
    adapter = adapterFactories[config.LMS_ADAPTER]!({
      config,
      env,
      logger: logger.child({ component: 'adapter', adapter: config.LMS_ADAPTER }),
      metrics: { lmsCall: (fn, result) => metrics.lmsCalls.inc({ function: fn, result }) },
    });
  } catch (error) {
    await db.close();
    throw error;
  }

  const inbox = new InboxWriter(db);
  const applyWorker = new ApplyWorker({
    db,
    logger: logger.child({ component: 'apply' }),
    metrics,
    bands,
    pollIntervalMs: config.APPLY_POLL_INTERVAL_MS,
    maxAttempts: config.APPLY_MAX_ATTEMPTS,
    // Ingest goes first, but never for longer than INGEST_PRIORITY_MAX_MS, so applies keep moving
    // under sustained load.
    beforeApply: () => Promise.race([inbox.whenIdle(), new Promise<void>((resolve) => setTimeout(resolve, INGEST_PRIORITY_MAX_MS))]),
  });
  const adapterLogger = logger.child({ component: 'adapter', adapter: adapter.name });
  const adapterWorker = new AdapterWorker({
    db,
    adapter,
    context: createAdapterContext(db, adapterLogger),
    logger: adapterLogger,
    pollIntervalMs: config.ADAPTER_POLL_INTERVAL_MS,
    probeIntervalMs: config.ADAPTER_PROBE_INTERVAL_MS,
    backoffBaseMs: config.ADAPTER_BACKOFF_BASE_MS,
    backoffMaxMs: config.ADAPTER_BACKOFF_MAX_MS,
    leaseMs: config.ADAPTER_LEASE_MS,
  });
  const reconciler = createReconciler(config, db, logger, metrics, bands);

  const app = await buildApp({
    config,
    db,
    logger,
    metrics,
    keys,
    inbox,
    bands,
    webhookSecrets: webhookSecrets(config),
    onEventStored: () => applyWorker.wake(),
    admin: { reconciler },
    serveMetrics: config.METRICS_PORT === undefined,
  });

  let metricsServer: FastifyInstance | undefined;
  const timers: NodeJS.Timeout[] = [];
  let workersStarted = false;

  const startWorkers = () => {
    if (workersStarted) return;
    workersStarted = true;
    if (config.APPLY_ENABLED) applyWorker.start();
    adapterWorker.start();
    const every = (ms: number, task: () => Promise<unknown>) => {
      if (ms <= 0) return;
      const timer = setInterval(() => {
        task().catch((error: Error) => logger.warn({ err: error }, 'background task failed'));
      }, ms);
      timer.unref();
      timers.push(timer);
    };
    if (reconciler) {
      every(config.RECONCILE_INTERVAL_MS, async () => {
        if (!reconciler.isRunning) await reconciler.run('delta');
      });
      every(config.RECONCILE_FULL_INTERVAL_MS, async () => {
        if (!reconciler.isRunning) await reconciler.run('full');
      });
    }
    every(config.RETENTION_INTERVAL_MS, () => pruneRetention(db, { inboxDays: config.RETENTION_INBOX_DAYS, feedDays: config.RETENTION_FEED_DAYS }, logger));
  };

  return {
    config,
    db,
    app,
    metrics,
    keys,
    applyWorker,
    adapterWorker,
    reconciler,
    startWorkers,
    async listen() {
      const address = await app.listen({ host: config.HOST, port: config.PORT });
      if (config.METRICS_PORT !== undefined) {
        metricsServer = Fastify({ logger: false });
        metricsServer.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
        await metricsServer.listen({ host: config.HOST, port: config.METRICS_PORT });
      }
      startWorkers();
      logger.info({ address, adapter: adapter.name, database: db.description, reconcile: reconciler ? 'on' : 'off (CMS_URL unset)' }, 'connector listening');
      return address;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await app.close();
      await metricsServer?.close();
      await applyWorker.stop();
      await adapterWorker.stop();
      await adapter.close?.();
      await db.close();
    },
  };
}
