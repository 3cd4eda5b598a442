import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { CsvImportError, FORMULA_START, parseMappingCsv } from '../../mappings/csv-import';
import { checkLmsId, deleteMapping, importMappings, MappingError, putMapping } from '../../mappings/store';
import { decodeKeyset, encodeKeyset } from '../../state/keyset';
import { normalizeSkillId } from '../../state/skill-id';
import type { AppDeps } from '../app';
import { requireScope } from '../auth';
import { cursorProblem, parsePaging } from '../paging';
import { ProblemError } from '../problems';

function asProblem(error: unknown): unknown {
  if (error instanceof MappingError || error instanceof CsvImportError) {
    return new ProblemError(error.code, error.message, error instanceof CsvImportError && error.issues.length > 0 ? error.issues : undefined);
  }
  return error;
}

/**
 * Prefixes a cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) with an
 * apostrophe, so opening an export cannot run `=HYPERLINK(...)` from a content id. The import strips
 * that apostrophe again, so an export imports unchanged.
 */
function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Reads a mapping table in keyset pages, so an export never loads the whole table into memory. */
async function* exportRows(db: AppDeps['db']['kysely'], type: 'skill' | 'content'): AsyncGenerator<Record<string, string>> {
  let after = '';
  for (;;) {
    const rows =
      type === 'skill'
        ? (await db.selectFrom('skill_mapping').select(['skill_id', 'lms_competency_id']).where('skill_id', '>', after).orderBy('skill_id').limit(1000).execute()).map((row) => ({ ...row, key: row.skill_id }))
        : (await db.selectFrom('content_mapping').select(['content_id', 'lms_course_id']).where('content_id', '>', after).orderBy('content_id').limit(1000).execute()).map((row) => ({ ...row, key: row.content_id }));
    for (const { key: _key, ...row } of rows) yield row;
    if (rows.length < 1000) return;
    after = rows[rows.length - 1]!.key;
  }
}

/** Mapping table API: skill UUID <-> LMS competency id, content id <-> LMS course id. */
export async function mappingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.db.kysely;
  const read = requireScope(deps.keys, 'changes:read', 'mappings:write');
  const write = requireScope(deps.keys, 'mappings:write');

  app.addContentTypeParser(['text/csv', 'text/plain', 'application/csv'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get('/mappings/skills', { preHandler: read }, async (request) => {
    const { cursor, limit } = parsePaging(request.query);
    let query = db.selectFrom('skill_mapping').leftJoin('skill', 'skill.skill_id', 'skill_mapping.skill_id').selectAll('skill_mapping').select('skill.name as skill_name').orderBy('skill_mapping.skill_id').limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeKeyset(cursor, 1);
      if (!key) throw cursorProblem(cursor);
      query = query.where('skill_mapping.skill_id', '>', key[0]!);
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { cursor: last ? encodeKeyset([last.skill_id]) : null, has_more: rows.length > limit, items: page };
  });

  app.get<{ Params: { skillId: string } }>('/mappings/skills/:skillId', { preHandler: read }, async (request) => {
    const row = await db.selectFrom('skill_mapping').selectAll().where('skill_id', '=', normalizeSkillId(request.params.skillId)).executeTakeFirst();
    if (!row) throw new ProblemError('MAPPING_NOT_FOUND', `Skill ${request.params.skillId.slice(0, 80)} has no LMS competency mapping; set one with PUT /mappings/skills/:skillId.`);
    return row;
  });

  app.put<{ Params: { skillId: string }; Body: { lms_competency_id?: unknown } }>('/mappings/skills/:skillId', { preHandler: write }, async (request) => {
    try {
      const value = checkLmsId('lms_competency_id', request.body?.lms_competency_id);
      const result = await putMapping(deps.db, 'skill', request.params.skillId, value, deps.config.LMS_ADAPTER);
      return { skill_id: normalizeSkillId(request.params.skillId), lms_competency_id: value, result };
    } catch (error) {
      throw asProblem(error);
    }
  });

  app.delete<{ Params: { skillId: string } }>('/mappings/skills/:skillId', { preHandler: write }, async (request, reply) => {
    try {
      await deleteMapping(deps.db, 'skill', request.params.skillId);
    } catch (error) {
      throw asProblem(error);
    }
    return reply.code(204).send();
  });

  app.get<{ Params: { contentId: string } }>('/mappings/content/:contentId', { preHandler: read }, async (request) => {
    const row = await db.selectFrom('content_mapping').selectAll().where('content_id', '=', request.params.contentId).executeTakeFirst();
    if (!row) throw new ProblemError('MAPPING_NOT_FOUND', `Content item ${request.params.contentId.slice(0, 80)} has no LMS course mapping; set one with PUT /mappings/content/:contentId.`);
    return row;
  });

  app.put<{ Params: { contentId: string }; Body: { lms_course_id?: unknown } }>('/mappings/content/:contentId', { preHandler: write }, async (request) => {
    try {
      const value = checkLmsId('lms_course_id', request.body?.lms_course_id);
      const result = await putMapping(deps.db, 'content', request.params.contentId, value);
      return { content_id: request.params.contentId, lms_course_id: value, result };
    } catch (error) {
      throw asProblem(error);
    }
  });

  app.delete<{ Params: { contentId: string } }>('/mappings/content/:contentId', { preHandler: write }, async (request, reply) => {
    try {
      await deleteMapping(deps.db, 'content', request.params.contentId);
    } catch (error) {
      throw asProblem(error);
    }
    return reply.code(204).send();
  });

  app.get<{ Querystring: { type?: string } }>('/mappings/export', { preHandler: read }, async (request, reply) => {
    const type = request.query.type ?? 'skill';
    if (type !== 'skill' && type !== 'content') {
      throw new ProblemError('QUERY_INVALID', `type=${type.slice(0, 40)} is unknown; use type=skill or type=content.`);
    }
    const csv = stringify({
      header: true,
      columns: type === 'skill' ? ['skill_id', 'lms_competency_id'] : ['content_id', 'lms_course_id'],
      cast: { string: escapeFormula },
    });
    void (async () => {
      try {
        for await (const row of exportRows(db, type)) csv.write(row);
        csv.end();
      } catch (error) {
        request.log.error({ err: error }, 'mapping export failed');
        csv.destroy(error as Error);
      }
    })();
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${type}-mappings.csv"`)
      .send(csv);
  });

  app.post('/mappings/import', { preHandler: write }, async (request) => {
    if (!Buffer.isBuffer(request.body)) {
      throw new ProblemError('MEDIA_TYPE_UNSUPPORTED', 'Send the CSV file as the request body with Content-Type: text/csv.');
    }
    try {
      const parsed = parseMappingCsv(request.body as Buffer);
      const report = await importMappings(deps.db, parsed, deps.config.LMS_ADAPTER);
      request.log.info({ ...report }, 'mappings imported');
      return report;
    } catch (error) {
      throw asProblem(error);
    }
  });

  app.get('/mappings/unmapped', { preHandler: read }, async (request) => {
    const { cursor, limit } = parsePaging(request.query);
    let query = db
      .selectFrom('content_tag')
      .leftJoin('skill_mapping', 'skill_mapping.skill_id', 'content_tag.skill_id')
      .select((eb) => [
        'content_tag.skill_id',
        eb.fn.max('content_tag.skill_name').as('skill_name'),
        eb.fn.count<number>('content_tag.content_id').as('tag_count'),
      ])
      .where('content_tag.status', '=', 'active')
      .where('skill_mapping.skill_id', 'is', null)
      .groupBy('content_tag.skill_id')
      .orderBy('content_tag.skill_id')
      .limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeKeyset(cursor, 1);
      if (!key) throw cursorProblem(cursor);
      query = query.where('content_tag.skill_id', '>', key[0]!);
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit).map((row) => ({ ...row, tag_count: Number(row.tag_count) }));
    const last = page[page.length - 1];
    return { cursor: last ? encodeKeyset([last.skill_id]) : null, has_more: rows.length > limit, items: page };
  });
}
