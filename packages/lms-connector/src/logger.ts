import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths redacted in every log line. The code never passes secrets to the logger, and this list is the
 * second line of defence for headers and config objects that might be logged whole.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'config.WEBHOOK_SECRETS',
  'config.CMS_API_TOKEN',
  'config.DATABASE_URL',
  'WEBHOOK_SECRETS',
  'CMS_API_TOKEN',
  'token',
  'key',
  'secret',
  'password',
];

/**
 * Returns stdout as an asynchronous pino destination: writes issued while one is in flight are
 * coalesced, which keeps per-event log lines off the ingest path. Lines still buffered when the
 * process is killed with SIGKILL are lost; pino flushes them on a normal exit.
 */
export function asyncStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'skill-connector' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
