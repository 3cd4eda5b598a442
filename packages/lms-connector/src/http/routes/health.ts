import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pendingMigrations } from '../../db/migrations';
import type { AppDeps } from '../app';
import { buildOpenApi } from '../openapi';

/** Anonymous routes: liveness, readiness, metrics and the OpenAPI document. */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db.kysely);
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable', detail: (error as Error).message });
    }
    const pending = await pendingMigrations(deps.db.kysely, deps.db.dialect);
    if (pending.length > 0) {
      return reply.code(503).send({ status: 'unavailable', database: 'ok', pending_migrations: pending, detail: 'Run `skill-connector migrate`.' });
    }
    return { status: 'ready', database: 'ok', pending_migrations: [] };
  });

  if (deps.serveMetrics) {
    app.get('/metrics', async (_request, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(text);
    });
  }

  const document = buildOpenApi();
  app.get('/openapi.json', async () => document);
}
