import { randomUUID } from 'node:crypto';
import { ContentSkills, type ProficiencyBand, Skill } from '@skill-mapping/shared-schema';
import type { Logger } from 'pino';
import { upsertSkill } from '../apply/apply-event';
import type { Db } from '../db/connection';
import type { Metrics } from '../metrics';
import { enqueueAdapterTask } from '../state/adapter-tasks';
import { writeAudit } from '../state/audit';
import { fingerprintOfIncoming, fingerprintOfStored, loadContent, localeKey, markContentDeleted, replaceContent } from '../state/content';
import { appendChange, lockFeed } from '../state/feed';
import { type CmsClient, CmsError } from './cms-client';
import { PageSizer } from './page-size';

export type ReconcileMode = 'delta' | 'full';

export interface ReconcileReport {
  mode: ReconcileMode;
  dry_run: boolean;
  pages: number;
  items: number;
  created: number;
  updated: number;
  deprecated: number;
  unchanged: number;
  /** Items whose stored state differed although its version was equal or newer than the CMS's. */
  drift: number;
  /** Items the CMS returned in a shape that failed validation; logged and left alone. */
  invalid: number;
  skills_updated: number;
  /** The full run that a 410 on the delta cursor started, if any. */
  full_run?: ReconcileReport;
}

export interface ReconcileProgress {
  phase: 'skills' | 'content' | 'sweep' | 'changes';
  items: number;
  pages: number;
  pageSize: number;
}

export class ReconcileError extends Error {
  constructor(
    readonly code: 'RECONCILE_RUNNING' | 'RECONCILE_FAILED',
    message: string,
  ) {
    super(message);
  }
}

export interface ReconcilerOptions {
  db: Db;
  cms: CmsClient;
  logger: Logger;
  metrics: Metrics;
  bands: readonly ProficiencyBand[];
  slowPageMs: number;
  maxRetries: number;
  retryBaseMs: number;
}

const CURSOR_KEY = 'cms_changes_cursor';

// How far behind this host's clock a CMS clock may be without the delta skipping a change. An estimate:
// NTP keeps servers within a second, and five minutes also covers a host without NTP for a while.
const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

const emptyReport = (mode: ReconcileMode, dryRun: boolean): ReconcileReport => ({
  mode,
  dry_run: dryRun,
  pages: 0,
  items: 0,
  created: 0,
  updated: 0,
  deprecated: 0,
  unchanged: 0,
  drift: 0,
  invalid: 0,
  skills_updated: 0,
});

/**
 * Reconciliation against the CMS pull API. Delta follows the CMS change feed from a stored cursor and
 * applies with the ordering rule. Full walks the whole CMS state page by page and makes the connector
 * equal to it regardless of versions. Memory stays flat: pages are processed one at a time and the
 * items seen are recorded in `reconcile_seen`, not in memory.
 */
export class Reconciler {
  private running: string | undefined;

  constructor(private readonly options: ReconcilerOptions) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts a run unless one is already running in this process; `done` settles with its report. */
  async start(
    mode: ReconcileMode,
    runOptions: { dryRun?: boolean; onProgress?: (progress: ReconcileProgress) => void } = {},
  ): Promise<{ runId: string; done: Promise<ReconcileReport> }> {
    if (this.running) throw new ReconcileError('RECONCILE_RUNNING', `Reconciliation run ${this.running} is still running; wait for it to finish.`);
    const runId = randomUUID();
    const dryRun = runOptions.dryRun === true && mode === 'full';
    this.running = runId;
    await this.options.db.kysely
      .insertInto('reconcile_run')
      .values({ id: runId, mode, dry_run: dryRun ? 1 : 0, status: 'running', started_at: new Date().toISOString() })
      .execute();

    const done = (async () => {
      const log = this.options.logger.child({ run_id: runId, mode, dry_run: dryRun });
      log.info('reconciliation started');
      try {
        const report = mode === 'full' ? await this.full(runId, dryRun, runOptions.onProgress) : await this.delta(runId, runOptions.onProgress);
        await this.finish(runId, 'done', report, null);
        log.info({ report }, 'reconciliation finished');
        return report;
      } catch (error) {
        this.options.metrics.reconcileFailures.inc();
        // The run record starts with a stable code, as an adapter task's last_error does.
        const code = (error as { code?: unknown }).code;
        const prefix = typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : 'RECONCILE_FAILED';
        await this.finish(runId, 'failed', null, `${prefix}: ${(error as Error).message}`).catch(() => {});
        log.error({ err: error }, 'reconciliation failed');
        throw error;
      } finally {
        this.running = undefined;
      }
    })();
    return { runId, done };
  }

  async run(mode: ReconcileMode, runOptions: { dryRun?: boolean; onProgress?: (progress: ReconcileProgress) => void } = {}): Promise<ReconcileReport> {
    const { done } = await this.start(mode, runOptions);
    return done;
  }

  private async finish(runId: string, status: string, report: ReconcileReport | null, error: string | null) {
    await this.options.db.kysely
      .updateTable('reconcile_run')
      .set({ status, finished_at: new Date().toISOString(), report: report ? JSON.stringify(report) : null, error })
      .where('id', '=', runId)
      .execute();
  }

  /** Calls the CMS, retrying retryable failures with exponential backoff; each failure halves the page size. */
  private async fetch<T>(sizer: PageSizer, call: (limit: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const started = Date.now();
      try {
        const result = await call(sizer.size);
        sizer.recordPage(Date.now() - started);
        return result;
      } catch (error) {
        if (!(error instanceof CmsError) || !error.retryable || attempt >= this.options.maxRetries) throw error;
        sizer.recordError();
        const delay = Math.min(30_000, this.options.retryBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        this.options.logger.warn({ attempt: attempt + 1, code: error.code, status: error.status, delay_ms: Math.round(delay) }, 'CMS call failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async full(runId: string, dryRun: boolean, onProgress?: (progress: ReconcileProgress) => void): Promise<ReconcileReport> {
    const { db, cms, logger } = this.options;
    const report = emptyReport('full', dryRun);
    const startedAt = new Date(Date.now() - CLOCK_SKEW_MARGIN_MS).toISOString();

    // The CMS plugin sends the head of its change feed with each content page, read after the page's
    // rows. A one-item page before the walk gives a head that precedes every row the walk reads, so the
    // next delta reads again whatever changed during the walk.
    const head = await this.fetch(new PageSizer(this.options.slowPageMs), () => cms.contentPage(undefined, 1));
    const headCursor = (head as { feed_cursor?: unknown }).feed_cursor;
    const feedCursor = typeof headCursor === 'string' && headCursor !== '' ? headCursor : undefined;

    await this.syncSkills(report, dryRun, onProgress);

    const sizer = new PageSizer(this.options.slowPageMs);
    let cursor: string | null | undefined;
    for (;;) {
      const page = await this.fetch(sizer, (limit) => cms.contentPage(cursor, limit));
      report.pages += 1;
      for (const raw of page.items) {
        const parsed = ContentSkills.safeParse(raw);
        if (!parsed.success) {
          report.invalid += 1;
          logger.warn({ content_id: (raw as { content_id?: unknown }).content_id }, 'CMS returned an invalid content item; skipped');
          continue;
        }
        report.items += 1;
        await this.repairItem(runId, parsed.data, report, dryRun);
      }
      onProgress?.({ phase: 'content', items: report.items, pages: report.pages, pageSize: sizer.size });
      cursor = page.cursor;
      const more = page.has_more ?? page.items.length > 0;
      if (!more || !cursor) break;
    }

    await this.sweepUnseen(runId, report, dryRun, onProgress);
    await db.kysely.deleteFrom('reconcile_seen').where('run_id', '=', runId).execute();

    // Without a feed cursor from the CMS, the delta continues from the moment this run started, less a
    // margin for clock skew between the CMS and this host. Changes read twice are harmless under the
    // ordering rule.
    if (!dryRun) await this.storeCursor(feedCursor ?? startedAt);
    return report;
  }

  private async syncSkills(report: ReconcileReport, dryRun: boolean, onProgress?: (progress: ReconcileProgress) => void) {
    const { db, cms } = this.options;
    const sizer = new PageSizer(this.options.slowPageMs);
    let cursor: string | null | undefined;
    let pages = 0;
    for (;;) {
      const page = await this.fetch(sizer, (limit) => cms.skillsPage(cursor, limit));
      pages += 1;
      for (const raw of page.items) {
        const parsed = Skill.safeParse(raw);
        if (!parsed.success) {
          report.invalid += 1;
          continue;
        }
        const skill = parsed.data;
        const stored = await db.kysely.selectFrom('skill').selectAll().where('skill_id', '=', skill.skill_id).executeTakeFirst();
        const same =
          stored &&
          stored.version === skill.version &&
          stored.name === skill.name &&
          stored.status === skill.status &&
          (stored.superseded_by ?? null) === (skill.superseded_by ?? null);
        if (same) continue;
        report.skills_updated += 1;
        if (dryRun) continue;
        const now = new Date().toISOString();
        await db.kysely.transaction().execute(async (trx) => {
          await upsertSkill(trx, skill, now);
          await writeAudit(trx, { at: now, action: 'reconcile', subject_type: 'skill', subject_id: skill.skill_id, before: stored ?? null, after: { name: skill.name, version: skill.version, status: skill.status } });
          await enqueueAdapterTask(trx, { kind: 'skill', skill_id: skill.skill_id }, now);
        });
      }
      onProgress?.({ phase: 'skills', items: report.skills_updated, pages, pageSize: sizer.size });
      cursor = page.cursor;
      if (!(page.has_more ?? page.items.length > 0) || !cursor) break;
    }
  }

  /** Makes one item equal to the CMS state; counts it as created, updated (drift) or unchanged. */
  private async repairItem(runId: string, item: ContentSkills, report: ReconcileReport, dryRun: boolean) {
    const { db, bands } = this.options;
    const locale = localeKey(item.locale);
    await db.kysely
      .insertInto('reconcile_seen')
      .values({ run_id: runId, content_id: item.content_id, locale })
      .onConflict((oc) => oc.doNothing())
      .execute();

    const current = await loadContent(db.kysely, item.content_id, locale);
    const unknownAndDeleted = !current.state && item.deleted === true;
    if (unknownAndDeleted || (current.state && fingerprintOfStored(current.state, current.tags) === fingerprintOfIncoming(item))) {
      report.unchanged += 1;
      return;
    }
    const drift = current.state !== undefined && current.state.metadata_version >= item.metadata_version;
    if (!current.state) report.created += 1;
    else report.updated += 1;
    if (drift) report.drift += 1;
    if (dryRun) return;

    const now = new Date().toISOString();
    await db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx);
      // Read again under the lock: an event may have been applied since the comparison above.
      const previous = await loadContent(trx, item.content_id, locale);
      const op = await replaceContent(trx, item, previous, { bands, now, removedReason: 'reconciled' });
      await appendChange(trx, { content_id: item.content_id, locale, op, metadata_version: item.metadata_version, changed_at: now });
      await writeAudit(trx, {
        at: now,
        action: drift ? 'drift' : 'reconcile',
        subject_type: 'content',
        subject_id: item.content_id,
        locale,
        before: previous.state ? { metadata_version: previous.state.metadata_version, fingerprint: fingerprintOfStored(previous.state, previous.tags) } : null,
        after: { metadata_version: item.metadata_version, fingerprint: fingerprintOfIncoming(item) },
        detail: `full reconciliation run ${runId}`,
      });
      await enqueueAdapterTask(trx, { kind: 'content', content_id: item.content_id, locale }, now);
    });
  }

  /** Deprecates every live item the CMS no longer lists (deleted or unpublished behind the push path). */
  private async sweepUnseen(runId: string, report: ReconcileReport, dryRun: boolean, onProgress?: (progress: ReconcileProgress) => void) {
    const { db } = this.options;
    let after: [string, string] | undefined;
    for (;;) {
      let query = db.kysely
        .selectFrom('content_state')
        .selectAll()
        .where('deleted', '=', 0)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('reconcile_seen').select('run_id').where('run_id', '=', runId).whereRef('reconcile_seen.content_id', '=', 'content_state.content_id').whereRef('reconcile_seen.locale', '=', 'content_state.locale'))),
        )
        .orderBy('content_id')
        .orderBy('locale')
        .limit(200);
      if (after) {
        const [contentId, locale] = after;
        query = query.where((eb) => eb.or([eb('content_id', '>', contentId), eb.and([eb('content_id', '=', contentId), eb('locale', '>', locale)])]));
      }
      const rows = await query.execute();
      if (rows.length === 0) break;

      for (const row of rows) {
        report.deprecated += 1;
        report.drift += 1;
        if (dryRun) continue;
        const now = new Date().toISOString();
        await db.kysely.transaction().execute(async (trx) => {
          await lockFeed(trx);
          await markContentDeleted(trx, { content_id: row.content_id, locale: row.locale }, row.metadata_version, 'reconciled', row, now);
          await appendChange(trx, { content_id: row.content_id, locale: row.locale, op: 'delete', metadata_version: row.metadata_version, changed_at: now });
          await writeAudit(trx, { at: now, action: 'drift', subject_type: 'content', subject_id: row.content_id, locale: row.locale, detail: `not listed by the CMS in full reconciliation run ${runId}` });
          await enqueueAdapterTask(trx, { kind: 'content', content_id: row.content_id, locale: row.locale }, now);
        });
      }
      const last = rows[rows.length - 1]!;
      after = [last.content_id, last.locale];
      onProgress?.({ phase: 'sweep', items: report.deprecated, pages: report.pages, pageSize: rows.length });
    }
  }

  private async delta(runId: string, onProgress?: (progress: ReconcileProgress) => void): Promise<ReconcileReport> {
    const { db, cms, logger } = this.options;
    const report = emptyReport('delta', false);
    const stored = await db.kysely.selectFrom('connector_state').select('value').where('key', '=', CURSOR_KEY).executeTakeFirst();
    if (!stored) {
      logger.info('no stored CMS cursor; running a full reconciliation first');
      report.full_run = await this.full(runId, false, onProgress);
      return report;
    }

    const sizer = new PageSizer(this.options.slowPageMs);
    let cursor = stored.value;
    for (;;) {
      let page;
      try {
        page = await this.fetch(sizer, (limit) => cms.changes(cursor, limit));
      } catch (error) {
        if (error instanceof CmsError && error.code === 'CMS_CURSOR_EXPIRED') {
          logger.warn('CMS cursor expired (410); running a full reconciliation');
          report.full_run = await this.full(runId, false, onProgress);
          return report;
        }
        throw error;
      }
      report.pages += 1;

      for (const change of page.items) {
        report.items += 1;
        const state = change.op === 'delete' ? null : await cms.content(change.content_id, change.locale ?? null);
        await this.applyChange(change, state, report);
      }
      onProgress?.({ phase: 'changes', items: report.items, pages: report.pages, pageSize: sizer.size });

      if (page.cursor !== cursor) await this.storeCursor(page.cursor);
      cursor = page.cursor;
      const more = page.has_more ?? page.items.length > 0;
      if (!more) break;
    }
    return report;
  }

  /** Applies one change from the CMS feed with the ordering rule, like an event. */
  private async applyChange(
    change: { content_id: string; locale?: string | null; op: string; metadata_version?: number },
    state: ContentSkills | null,
    report: ReconcileReport,
  ) {
    const { db, bands } = this.options;
    const locale = localeKey(change.locale);
    const now = new Date().toISOString();
    await db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx);
      const previous = await loadContent(trx, change.content_id, locale);
      const version = state?.metadata_version ?? change.metadata_version ?? (previous.state ? previous.state.metadata_version + 1 : 1);
      if (previous.state && version <= previous.state.metadata_version) {
        report.unchanged += 1;
        return;
      }

      if (state && state.deleted !== true) {
        const op = await replaceContent(trx, state, previous, { bands, now, removedReason: 'removed' });
        await appendChange(trx, { content_id: change.content_id, locale, op, metadata_version: version, changed_at: now });
        if (previous.state) report.updated += 1;
        else report.created += 1;
      } else {
        await markContentDeleted(trx, { content_id: change.content_id, locale }, version, 'deleted', previous.state, now);
        await appendChange(trx, { content_id: change.content_id, locale, op: 'delete', metadata_version: version, changed_at: now });
        report.deprecated += 1;
      }
      await writeAudit(trx, { at: now, action: 'reconcile', subject_type: 'content', subject_id: change.content_id, locale, after: { metadata_version: version, op: change.op }, detail: 'delta reconciliation' });
      await enqueueAdapterTask(trx, { kind: 'content', content_id: change.content_id, locale }, now);
    });
  }

  private async storeCursor(value: string): Promise<void> {
    const now = new Date().toISOString();
    await this.options.db.kysely
      .insertInto('connector_state')
      .values({ key: CURSOR_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}
