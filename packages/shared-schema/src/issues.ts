import type { z } from 'zod';

/** One validation problem, in the shape both sides return to clients. */
export interface Issue {
  /** Dotted path into the input, e.g. `data.skill_tags.0.confidence`; empty for the whole input. */
  path: string;
  /** zod's issue code (`invalid_type`, `too_big`...) or one of ours in capitals. */
  code: string;
  message: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((segment) => String(segment)).join('.');
}

/** Flattens a zod error into the issue list, keeping every issue so callers can show all at once. */
export function formatIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    code: issue.code,
    message: issue.message,
  }));
}
