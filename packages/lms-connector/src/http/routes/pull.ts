import type { FastifyInstance } from 'fastify';
import { decodeKeyset, encodeKeyset } from '../../state/keyset';
import { FeedCursorError, readFeed } from '../../state/feed-read';
import { contentViews } from '../../state/views';
import type { AppDeps } from '../app';
import { requireScope } from '../auth';
import { cursorProblem, parsePaging } from '../paging';
import { ProblemError } from '../problems';

/** Registers the pull contract: change feed, current state and catalog, read with a `changes:read` key. */
export async function pullRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.db.kysely;
  app.addHook('preHandler', requireScope(deps.keys, 'changes:read', 'mappings:write'));

  app.get('/content/changes', async (request) => {
    const { cursor, limit } = parsePaging(request.query);
    try {
      return await readFeed(db, cursor, limit);
    } catch (error) {
      if (error instanceof FeedCursorError) throw new ProblemError(error.code, error.message);
      throw error;
    }
  });

  app.get('/content', async (request) => {
    const { cursor, limit } = parsePaging(request.query);
    let query = db.selectFrom('content_state').selectAll().orderBy('content_id').orderBy('locale').limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeKeyset(cursor, 2);
      if (!key) throw cursorProblem(cursor);
      const [contentId, locale] = key as [string, string];
      query = query.where((eb) =>
        eb.or([eb('content_id', '>', contentId), eb.and([eb('content_id', '=', contentId), eb('locale', '>', locale)])]),
      );
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      cursor: last ? encodeKeyset([last.content_id, last.locale]) : null,
      has_more: rows.length > limit,
      items: await contentViews(db, page),
    };
  });

  app.get<{ Params: { contentId: string }; Querystring: { locale?: string } }>('/content/:contentId', async (request) => {
    const { contentId } = request.params;
    const locale = request.query.locale;
    const rows = await db
      .selectFrom('content_state')
      .selectAll()
      .where('content_id', '=', contentId)
      .orderBy('locale')
      .execute();

    // Without ?locale the unlocalized row is meant. An item stored in exactly one locale is also
    // returned, because there is no doubt which one the caller means.
    const selected = locale !== undefined ? rows.find((row) => row.locale === locale) : (rows.find((row) => row.locale === '') ?? (rows.length === 1 ? rows[0] : undefined));
    if (!selected) {
      const locales = rows.map((row) => row.locale || '(none)');
      throw new ProblemError(
        'CONTENT_NOT_FOUND',
        rows.length === 0
          ? `No content item "${contentId.slice(0, 255)}" is known to the connector; check the id or run a reconciliation.`
          : `Content item "${contentId.slice(0, 255)}" has no ${locale === undefined ? 'unlocalized' : `"${locale}"`} state; pass ?locale= with one of: ${locales.join(', ')}.`,
        undefined,
        { content_id: contentId, locales },
      );
    }
    const [view] = await contentViews(db, [selected]);
    return view;
  });

  app.get('/skills', async (request) => {
    const { cursor, limit } = parsePaging(request.query);
    let query = db.selectFrom('skill').selectAll().orderBy('skill_id').limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeKeyset(cursor, 1);
      if (!key) throw cursorProblem(cursor);
      query = query.where('skill_id', '>', key[0]!);
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      cursor: last ? encodeKeyset([last.skill_id]) : null,
      has_more: rows.length > limit,
      items: page.map((row) => ({ ...row, alt_names: JSON.parse(row.alt_names) as string[] })),
    };
  });
}
