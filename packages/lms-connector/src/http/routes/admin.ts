import type { FastifyInstance } from 'fastify';
import type { ReconcileMode, ReconcileReport, Reconciler } from '../../reconcile/reconciler';
import { ReconcileError } from '../../reconcile/reconciler';
import { FeedCursorError } from '../../state/feed-read';
import type { AppDeps } from '../app';
import { requireScope } from '../auth';
import { cursorProblem, parsePaging } from '../paging';
import { ProblemError } from '../problems';
import { decodeKeyset, encodeKeyset } from '../../state/keyset';
import { replayFrom } from '../../state/replay';

export interface AdminServices {
  /** Undefined when CMS_URL is not set. */
  reconciler?: Reconciler;
}

const TASK_STATUSES = ['pending', 'done', 'failed'];

/** Admin routes: reconciliation, adapter tasks and replay, all behind the `admin` scope. */
export async function adminRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.db.kysely;
  app.addHook('preHandler', requireScope(deps.keys, 'admin'));

  app.post<{ Querystring: { mode?: string; dry_run?: string; wait?: string } }>('/reconcile', async (request, reply) => {
    const reconciler = deps.admin.reconciler;
    if (!reconciler) throw new ProblemError('RECONCILE_NOT_CONFIGURED', 'Reconciliation needs CMS_URL and CMS_API_TOKEN; set them and restart the connector.');
    const mode = (request.query.mode ?? 'delta') as ReconcileMode;
    if (mode !== 'delta' && mode !== 'full') throw new ProblemError('QUERY_INVALID', `mode=${String(mode).slice(0, 40)} is unknown; use mode=delta or mode=full.`);
    const dryRun = request.query.dry_run === 'true' || request.query.dry_run === '1';
    if (dryRun && mode !== 'full') throw new ProblemError('QUERY_INVALID', 'dry_run applies to mode=full only.');

    let started: { runId: string; done: Promise<ReconcileReport> };
    try {
      started = await reconciler.start(mode, { dryRun });
    } catch (error) {
      if (error instanceof ReconcileError && error.code === 'RECONCILE_RUNNING') throw new ProblemError('RECONCILE_RUNNING', error.message);
      throw error;
    }
    if (request.query.wait === 'true' || request.query.wait === '1') {
      const report = await started.done.catch((error: Error) => ({ error: error.message }));
      const run = await db.selectFrom('reconcile_run').selectAll().where('id', '=', started.runId).executeTakeFirst();
      return reply.code(200).send({ run_id: started.runId, status: run?.status, report });
    }
    started.done.catch(() => {});
    return reply.code(202).send({ run_id: started.runId, status: 'running', location: `/reconcile/runs/${started.runId}` });
  });

  app.get<{ Params: { runId: string } }>('/reconcile/runs/:runId', async (request) => {
    const run = await db.selectFrom('reconcile_run').selectAll().where('id', '=', request.params.runId).executeTakeFirst();
    if (!run) throw new ProblemError('RECONCILE_RUN_NOT_FOUND', `No reconciliation run "${request.params.runId.slice(0, 80)}".`);
    return { ...run, dry_run: run.dry_run === 1, report: run.report ? JSON.parse(run.report) : null };
  });

  app.get<{ Querystring: { status?: string; cursor?: string; limit?: string } }>('/adapter/tasks', async (request) => {
    const { status } = request.query;
    const { cursor, limit } = parsePaging({ cursor: request.query.cursor, limit: request.query.limit });
    if (status !== undefined && !TASK_STATUSES.includes(status)) {
      throw new ProblemError('QUERY_INVALID', `status=${status.slice(0, 40)} is unknown; use one of ${TASK_STATUSES.join(', ')}.`);
    }
    let query = db.selectFrom('adapter_task').selectAll().orderBy('id').limit(limit + 1);
    if (status) query = query.where('status', '=', status);
    if (cursor !== undefined) {
      const key = decodeKeyset(cursor, 1);
      if (!key || !/^\d+$/.test(key[0]!)) throw cursorProblem(cursor);
      query = query.where('id', '>', Number(key[0]));
    }
    const rows = await query.execute();
    const counts = await db.selectFrom('adapter_task').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      adapter: deps.config.LMS_ADAPTER,
      counts: Object.fromEntries(TASK_STATUSES.map((name) => [name, Number(counts.find((row) => row.status === name)?.count ?? 0)])),
      cursor: last ? encodeKeyset([String(last.id)]) : null,
      has_more: rows.length > limit,
      items: page.map(({ locked_by: _lockedBy, ...row }) => ({ ...row, task: JSON.parse(row.task) })),
    };
  });

  app.post<{ Querystring: { from?: string } }>('/replay', async (request) => {
    const from = request.query.from;
    if (!from) throw new ProblemError('QUERY_INVALID', 'from is required: pass a feed cursor or an RFC 3339 timestamp, e.g. ?from=2026-08-01T00:00:00Z.');
    try {
      return await replayFrom(deps.db, from);
    } catch (error) {
      if (error instanceof FeedCursorError) throw new ProblemError(error.code, error.message);
      throw error;
    }
  });
}
