import { z } from 'zod';

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const optionalUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as http://127.0.0.1:1337' }).optional();

const SUPPORTED_DATABASE_SCHEMES = ['postgres', 'postgresql', 'sqlite', 'file'];

/**
 * Every setting of the connector. Keys are the environment variable names; a JSON config file uses the
 * same keys. Durations carry their unit in the name.
 */
export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(8787),
  /** Serves `/metrics` on its own port when set, and not on the main port. */
  METRICS_PORT: integer(1, 65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** Unset: SQLite at ./data/connector.db. `postgres://...` for PostgreSQL, or `sqlite:PATH` / a file path. */
  DATABASE_URL: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      // Two letters at least, so a Windows drive letter (C:\data\connector.db) still reads as a path.
      const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(value)?.[1]?.toLowerCase();
      if (scheme !== undefined && !SUPPORTED_DATABASE_SCHEMES.includes(scheme)) {
        ctx.addIssue({
          code: 'custom',
          message: `unsupported scheme "${scheme}:"; use postgres://user:password@host:5432/database for PostgreSQL, or sqlite:PATH or a file path for SQLite`,
        });
      }
    })
    .optional(),
  DATABASE_POOL_MAX: integer(1, 200).default(10),

  /** Space- or comma-separated `whsec_...` secrets; several are accepted during rotation. */
  WEBHOOK_SECRETS: z.string().optional(),
  WEBHOOK_TOLERANCE_SECONDS: integer(1, 3600).default(300),
  BODY_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),

  PROFICIENCY_BANDS: z.string().optional(),

  /** false runs an ingest-only process: events are stored, and other processes on the database apply them. */
  APPLY_ENABLED: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  APPLY_POLL_INTERVAL_MS: integer(10).default(1000),
  APPLY_MAX_ATTEMPTS: integer(1, 1000).default(5),

  LMS_ADAPTER: z.string().default('none'),
  ADAPTER_POLL_INTERVAL_MS: integer(10).default(1000),
  ADAPTER_PROBE_INTERVAL_MS: integer(10).default(60_000),
  /** How long a claimed adapter task stays hidden from other processes while the LMS call runs. */
  ADAPTER_LEASE_MS: integer(1000).default(5 * 60_000),
  ADAPTER_BACKOFF_BASE_MS: integer(1).default(1000),
  ADAPTER_BACKOFF_MAX_MS: integer(1).default(15 * 60_000),

  CMS_URL: optionalUrl,
  CMS_API_TOKEN: z.string().optional(),
  CMS_PULL_PATH: z.string().startsWith('/').default('/api/skill-mapping'),
  CMS_TIMEOUT_MS: integer(100).default(30_000),
  /** 0 turns the periodic delta reconciliation off. */
  RECONCILE_INTERVAL_MS: integer(0).default(5 * 60_000),
  /** 0 turns the periodic full reconciliation off; the default runs it once a day. */
  RECONCILE_FULL_INTERVAL_MS: integer(0).default(24 * 60 * 60_000),
  /** A CMS page slower than this halves the page size instead of growing it. */
  RECONCILE_SLOW_PAGE_MS: integer(1).default(2000),
  RECONCILE_MAX_RETRIES: integer(0, 20).default(5),
  RECONCILE_RETRY_BASE_MS: integer(1).default(500),

  RETENTION_INBOX_DAYS: integer(1).default(30),
  RETENTION_FEED_DAYS: integer(1).default(90),
  RETENTION_INTERVAL_MS: integer(0).default(60 * 60_000),
});

export type ConnectorConfig = z.infer<typeof ConfigSchema>;
