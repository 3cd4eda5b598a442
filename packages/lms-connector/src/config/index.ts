import fs from 'node:fs';
import path from 'node:path';
import { ConfigSchema, type ConnectorConfig } from './schema';

export { ConfigSchema, type ConnectorConfig } from './schema';

/** Invalid configuration: one line per bad value, printed by the CLI before it exits with code 2. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(
    readonly lines: string[],
    /** The raw values read, so later checks can add their lines to the same report; never printed. */
    readonly values: Record<string, unknown> = {},
  ) {
    super(`Invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  }
}

// Values of these keys are never echoed back in an error line.
const SECRET_KEYS = new Set(['WEBHOOK_SECRETS', 'CMS_API_TOKEN', 'DATABASE_URL']);

/**
 * Reads settings from an optional JSON file overlaid by the environment (the environment wins), then
 * validates them all at once so every bad value is reported together.
 */
export function loadConfig(env: NodeJS.ProcessEnv, configFile?: string): ConnectorConfig {
  const fileValues = configFile ? readConfigFile(configFile) : {};
  const keys = Object.keys(ConfigSchema.shape);
  const merged: Record<string, unknown> = {};

  for (const key of keys) {
    const fromEnv = env[key];
    if (fromEnv !== undefined && fromEnv !== '') merged[key] = fromEnv;
    else if (fileValues[key] !== undefined) merged[key] = fileValues[key];
  }

  const unknownFileKeys = Object.keys(fileValues).filter((key) => !keys.includes(key));
  const result = ConfigSchema.safeParse(merged);
  const lines: string[] = unknownFileKeys.map(
    (key) => `${key}: unknown key in ${configFile}; remove it or check the spelling (known keys are the environment variable names)`,
  );

  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      const shown = SECRET_KEYS.has(key) ? '(value hidden)' : JSON.stringify(merged[key]);
      lines.push(`${key}=${shown}: ${issue.message}`);
    }
  }
  if (lines.length > 0) throw new ConfigError(lines, merged);
  return result.data as ConnectorConfig;
}

function readConfigFile(file: string): Record<string, unknown> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError([`config file ${absolute}: cannot be read (${(error as NodeJS.ErrnoException).code}); check the path`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError([`config file ${absolute}: invalid JSON object (${(error as Error).message}); fix the file`]);
  }
}

/** Splits `WEBHOOK_SECRETS` into its secrets. */
export function webhookSecrets(config: Pick<ConnectorConfig, 'WEBHOOK_SECRETS'>): string[] {
  return (config.WEBHOOK_SECRETS ?? '').split(/[\s,]+/).filter((secret) => secret.length > 0);
}
