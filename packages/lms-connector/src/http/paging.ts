import { ChangesQuery, formatIssues } from '@skill-mapping/shared-schema';
import { ProblemError } from './problems';

/** Validates `cursor` and `limit` of a paged route; a bad limit names the allowed range. */
export function parsePaging(query: unknown): { cursor?: string; limit: number } {
  const result = ChangesQuery.safeParse(query ?? {});
  if (!result.success) {
    const issues = formatIssues(result.error);
    if (issues.some((issue) => issue.path === 'limit')) {
      const value = (query as { limit?: unknown }).limit;
      throw new ProblemError('LIMIT_OUT_OF_RANGE', `limit=${String(value).slice(0, 40)} is invalid; use an integer from 1 to 500.`, issues);
    }
    if (issues.some((issue) => issue.path === 'cursor')) {
      const value = (query as { cursor?: unknown }).cursor;
      throw new ProblemError('CURSOR_INVALID', `cursor=${JSON.stringify(value)?.slice(0, 80)} is invalid; pass back the cursor from the previous page, or omit the parameter to start from the beginning.`, issues);
    }
    throw new ProblemError('QUERY_INVALID', 'The query string is invalid; fix the listed parameters.', issues);
  }
  return { cursor: result.data.cursor, limit: result.data.limit };
}

export function cursorProblem(cursor: string): ProblemError {
  return new ProblemError(
    'CURSOR_INVALID',
    `Cursor "${cursor.slice(0, 80)}" is invalid; pass back the cursor from the previous page, or omit it to start from the beginning.`,
  );
}
