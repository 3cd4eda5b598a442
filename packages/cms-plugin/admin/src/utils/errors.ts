import { isFetchError } from '@strapi/strapi/admin';

import type { ErrorResponse } from '../../../shared/contracts';

export interface ApiErrorInfo {
  message: string;
  /** Stable `AREA_WHAT` code from `error.details.code`, when the server sent one. */
  code?: string;
  issues: Array<{ path: string; code: string; message: string }>;
}

/** Extracts the message, stable code and field issues from a failed admin API call. */
export const readApiError = (error: unknown): ApiErrorInfo => {
  if (isFetchError(error)) {
    const body = error.response?.data as ErrorResponse | undefined;
    const details = body?.error?.details ?? {};

    // A proxy or a missing route can respond with a non-JSON body, so the HTTP status is the only clue.
    const fallback = error.status ? `HTTP ${error.status}: ${error.message}` : error.message;

    return {
      message: body?.error?.message ?? fallback,
      code: typeof details.code === 'string' ? details.code : undefined,
      issues: Array.isArray(details.issues) ? details.issues : [],
    };
  }

  return { message: error instanceof Error ? error.message : String(error), issues: [] };
};

/** Formats an API error as one notification line: message, field issues, then the code in brackets. */
export const formatApiError = (error: unknown): string => {
  const info = readApiError(error);
  const issues = info.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  const parts = [info.message, issues].filter(Boolean).join(' - ');

  return info.code ? `${parts} [${info.code}]` : parts;
};
