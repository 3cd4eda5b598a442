import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths redacted in every log line. Secrets are never passed to the logger on purpose; this list is
 * the second line of defence for headers and config objects that might be logged whole.
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
