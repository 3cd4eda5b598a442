/**
 * Plugin configuration. Every option has a default; environment variables override the app's
 * `config/plugins` values so tests and operators can shorten timings without editing code.
 */

export interface PluginConfig {
  /** Hosts (names, IPs or CIDR ranges) that may use plain http and private addresses. */
  allowedHosts: string[];
  /** Delay before each retry, in seconds; after the last one the event is dead. */
  retryScheduleSeconds: number[];
  /** HTTP timeout of one delivery attempt, in milliseconds. */
  requestTimeoutMs: number;
  /** How often the worker polls the outbox when no commit woke it, in milliseconds. */
  pollIntervalMs: number;
  /** Minimum time a claimed outbox row stays reserved for one worker, in milliseconds; raised to cover a whole batch of timeouts. */
  leaseMs: number;
  /** Outbox rows claimed per round. */
  batchSize: number;
  /** Parallel HTTP requests per worker. */
  concurrency: number;
  /** Delivered outbox rows and attempt logs older than this are pruned, in days. */
  deliveredRetentionDays: number;
  /** Change feed rows older than this are pruned, and older cursors get 410, in days. */
  changeRetentionDays: number;
  /** How often pruning runs, in milliseconds. */
  pruneIntervalMs: number;
  /** Largest accepted Retry-After, in seconds. */
  maxRetryAfterSeconds: number;
  /** Proficiency preselected in the picker. */
  defaultProficiency: 'beginner' | 'intermediate' | 'advanced' | 'expert';
  /** Field used as `title` per content type uid; the content type's main field otherwise. */
  titleFields: Record<string, string>;
  /** Starts the delivery worker in bootstrap; off for processes that must not send. */
  workerEnabled: boolean;
}

export const DEFAULT_CONFIG: PluginConfig = {
  allowedHosts: [],
  retryScheduleSeconds: [5, 30, 120, 600, 1800, 3600, 10800, 21600],
  requestTimeoutMs: 15_000,
  pollIntervalMs: 5_000,
  leaseMs: 60_000,
  batchSize: 100,
  concurrency: 16,
  deliveredRetentionDays: 30,
  changeRetentionDays: 90,
  pruneIntervalMs: 3_600_000,
  maxRetryAfterSeconds: 21_600,
  defaultProficiency: 'intermediate',
  titleFields: {},
  workerEnabled: true,
};

const PROFICIENCIES = ['beginner', 'intermediate', 'advanced', 'expert'];

function numberList(text: string, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error(`${name}="${text}" is invalid: give comma-separated non-negative seconds, e.g. "5,30,120".`);
  }
  return values;
}

function positiveNumber(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}="${text}" is invalid: give a positive number.`);
  }
  return value;
}

/** Environment variables that override the plugin config, with their parsers. */
const ENV_OVERRIDES: Array<[string, keyof PluginConfig, (text: string, name: string) => unknown]> = [
  ['SKILL_MAPPING_RETRY_SCHEDULE', 'retryScheduleSeconds', numberList],
  ['SKILL_MAPPING_REQUEST_TIMEOUT_MS', 'requestTimeoutMs', positiveNumber],
  ['SKILL_MAPPING_POLL_INTERVAL_MS', 'pollIntervalMs', positiveNumber],
  ['SKILL_MAPPING_LEASE_MS', 'leaseMs', positiveNumber],
  ['SKILL_MAPPING_BATCH_SIZE', 'batchSize', positiveNumber],
  ['SKILL_MAPPING_CONCURRENCY', 'concurrency', positiveNumber],
  ['SKILL_MAPPING_DELIVERED_RETENTION_DAYS', 'deliveredRetentionDays', positiveNumber],
  ['SKILL_MAPPING_CHANGE_RETENTION_DAYS', 'changeRetentionDays', positiveNumber],
  ['SKILL_MAPPING_PRUNE_INTERVAL_MS', 'pruneIntervalMs', positiveNumber],
  ['SKILL_MAPPING_ALLOWED_HOSTS', 'allowedHosts', (text) => text.split(',').map((h) => h.trim()).filter(Boolean)],
  ['SKILL_MAPPING_WORKER', 'workerEnabled', (text) => text !== '0' && text.toLowerCase() !== 'false'],
];

/** Merges defaults, app config and environment, and rejects bad values with one message each. */
export function resolveConfig(input: Partial<PluginConfig>, env: NodeJS.ProcessEnv = process.env): PluginConfig {
  const config: PluginConfig = { ...DEFAULT_CONFIG, ...input };
  const overrides: Partial<Record<keyof PluginConfig, unknown>> = {};
  for (const [name, key, parse] of ENV_OVERRIDES) {
    const text = env[name];
    if (text !== undefined && text !== '') {
      overrides[key] = parse(text, name);
    }
  }
  Object.assign(config, overrides);
  validateConfig(config);
  return config;
}

export function validateConfig(config: PluginConfig): void {
  if (!Array.isArray(config.allowedHosts) || config.allowedHosts.some((h) => typeof h !== 'string')) {
    throw new Error('skill-mapping config allowedHosts is invalid: give an array of host names, IPs or CIDR ranges.');
  }
  if (!Array.isArray(config.retryScheduleSeconds) || config.retryScheduleSeconds.some((s) => typeof s !== 'number' || s < 0)) {
    throw new Error('skill-mapping config retryScheduleSeconds is invalid: give an array of non-negative seconds.');
  }
  if (!PROFICIENCIES.includes(config.defaultProficiency)) {
    throw new Error(
      `skill-mapping config defaultProficiency="${config.defaultProficiency}" is invalid: use one of ${PROFICIENCIES.join(', ')}.`,
    );
  }
}

export default {
  default: DEFAULT_CONFIG,
  validator(config: PluginConfig) {
    validateConfig({ ...DEFAULT_CONFIG, ...config });
  },
};
