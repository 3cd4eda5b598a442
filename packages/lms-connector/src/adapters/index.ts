import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { ConnectorConfig } from '../config/schema';
import { createNoneAdapter } from './none';
import type { LmsAdapter } from './types';

export * from './types';

/** Hook through which an adapter counts its LMS calls in `skill_lms_calls_total{function,result}`. */
export interface AdapterMetrics {
  lmsCall(functionName: string, result: 'ok' | 'error' | string): void;
}

export interface AdapterFactoryOptions {
  config: ConnectorConfig;
  /** Environment the process started with; adapters read and validate their own variables from it. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  metrics: AdapterMetrics;
}

/**
 * Builds an adapter. A factory that finds its own settings invalid throws `ConfigError` (from
 * `../config`) with one line per bad value, so the CLI prints them and exits with code 2.
 */
export type AdapterFactory = (options: AdapterFactoryOptions) => LmsAdapter;

/** Selected by `LMS_ADAPTER`; an adapter plugs in by adding one entry here. */
export const adapterFactories: Record<string, AdapterFactory> = {
  none: () => createNoneAdapter(),
  moodle: (options) => (require('./moodle') as typeof import('./moodle')).createMoodleAdapter(options),
};

/**
 * Checks of an adapter's own settings, run with the connector's settings so one run reports every bad
 * value. Each returns one line per problem.
 */
export const adapterConfigChecks: Record<string, (env: NodeJS.ProcessEnv) => string[]> = {
  moodle: (env) => (require('./moodle') as typeof import('./moodle')).moodleConfigProblems(env),
};

/**
 * Extra `skill-connector` subcommands contributed by adapters (for example a Moodle framework export).
 * Each function receives the root program and adds its commands to it.
 */
export const adapterCommands: Array<(program: Command) => void> = [
  (program) => (require('../cli/moodle') as typeof import('../cli/moodle')).registerMoodleCommands(program),
];

export function adapterNames(): string[] {
  return Object.keys(adapterFactories).sort();
}
