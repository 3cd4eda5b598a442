import type { AdapterFactoryOptions } from '../index';
import type { LmsAdapter } from '../types';
import { MoodleAdapter } from './adapter';
import { MoodleClient } from './client';
import { loadMoodleConfig } from './config';
import { MoodleApi } from './functions';

export { MoodleAdapter } from './adapter';
export { MoodleClient } from './client';
export { loadMoodleConfig, moodleConfigProblems, parseScaleMapping, type MoodleConfig, type ScaleMapping } from './config';
export { MoodleCallError } from './errors';
export { MoodleApi, REQUIRED_FUNCTIONS } from './functions';

/** Builds the Moodle adapter from `MOODLE_*` variables; throws ConfigError before any call when they are invalid. */
export function createMoodleAdapter(options: AdapterFactoryOptions): LmsAdapter {
  const config = loadMoodleConfig(options.env);
  const client = new MoodleClient({
    baseUrl: config.url,
    token: config.token,
    timeoutMs: config.timeoutMs,
    onCall: (wsfunction, result) => options.metrics.lmsCall(wsfunction, result),
  });
  return new MoodleAdapter(new MoodleApi(client), config);
}
