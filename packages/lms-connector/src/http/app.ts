import compress from '@fastify/compress';
import type { ProficiencyBand } from '@skill-mapping/shared-schema';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { ConnectorConfig } from '../config';
import type { Db } from '../db/connection';
import type { KeyStore } from '../keys';
import type { Metrics } from '../metrics';
import type { InboxWriter } from '../state/inbox-writer';
import { ProblemError } from './problems';
import { adminRoutes, type AdminServices } from './routes/admin';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { mappingRoutes } from './routes/mappings';
import { pullRoutes } from './routes/pull';

export interface AppDeps {
  config: ConnectorConfig;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  keys: KeyStore;
  inbox: InboxWriter;
  bands: readonly ProficiencyBand[];
  webhookSecrets: string[];
  /** Called after an event is stored in the inbox, to wake the apply worker. */
  onEventStored(): void;
  admin: AdminServices;
  /** False when `/metrics` is served on its own port. */
  serveMetrics: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines would double the log volume at ingest rates; routes log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Content ids may be long; keep Fastify from rejecting a valid 255-character id in the path.
    routerOptions: { maxParamLength: 1024 },
    // Errors the router raises before any route runs (a path that is not valid percent-encoding) skip
    // the error handler, so this handler returns them in the same problem format.
    frameworkErrors: (error, request, reply) => {
      const problem =
        error.code === 'FST_ERR_BAD_URL'
          ? new ProblemError('QUERY_INVALID', `The path ${JSON.stringify(request.url.slice(0, 120))} is not valid percent-encoding; encode "%" as %25.`)
          : toProblem(error as FastifyError, deps.config.BODY_LIMIT_BYTES);
      void (reply as FastifyReply).code(problem.status).type('application/problem+json').send(problem.toJSON());
    },
  });

  // Methods per route path, so a known path with another method gets 405 with an Allow header.
  const routeMethods: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (route) => {
    const source = route.url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((method) => method.toUpperCase());
    routeMethods.push({ pattern: new RegExp(`^${source}/?$`), methods: new Set(methods) });
  });

  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    const problem = toProblem(error, deps.config.BODY_LIMIT_BYTES);
    if (problem.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.info({ code: problem.code, url: request.routeOptions.url ?? request.url, status: problem.status }, 'request rejected');
    void reply.code(problem.status).type('application/problem+json').send(problem.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const allowed = new Set<string>();
    for (const route of routeMethods) if (route.pattern.test(pathname)) route.methods.forEach((method) => allowed.add(method));
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ');
      const problem = new ProblemError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${pathname.slice(0, 120)}; use ${allow}.`);
      void reply.code(405).header('allow', allow).type('application/problem+json').send(problem.toJSON());
      return;
    }
    const problem = new ProblemError('ROUTE_NOT_FOUND', `No route ${request.method} ${pathname}; see /openapi.json for the API.`);
    void reply.code(404).type('application/problem+json').send(problem.toJSON());
  });

  await app.register(compress, { global: true, threshold: 1024 });
  await app.register(healthRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(pullRoutes, deps);
  await app.register(mappingRoutes, deps);
  await app.register(adminRoutes, deps);
  return app;
}

function toProblem(error: FastifyError | ProblemError, bodyLimitBytes: number): ProblemError {
  if (error instanceof ProblemError) return error;

  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ProblemError('PAYLOAD_TOO_LARGE', `The body is larger than BODY_LIMIT_BYTES=${bodyLimitBytes} bytes; send a smaller body, or raise BODY_LIMIT_BYTES on the connector.`);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ProblemError('MEDIA_TYPE_UNSUPPORTED', 'Unsupported Content-Type; send application/json (or text/csv for CSV imports).');
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error.statusCode === 400 && error instanceof SyntaxError)) {
    return new ProblemError('PAYLOAD_INVALID', `The JSON body is invalid: ${error.message}`);
  }
  if (error.statusCode === 404) return new ProblemError('ROUTE_NOT_FOUND', error.message);
  if (isDatabaseUnavailable(error)) {
    return new ProblemError('DATABASE_UNAVAILABLE', 'The database is unavailable; retry later (see /readyz).');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ProblemError('QUERY_INVALID', error.message);
  }
  return new ProblemError('INTERNAL_ERROR', 'Internal error; the connector logged the details.');
}

function isDatabaseUnavailable(error: Error & { code?: string }): boolean {
  const code = error.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'SQLITE_BUSY', '57P01', '57P03', '53300'].includes(code) || code.startsWith('08');
}
