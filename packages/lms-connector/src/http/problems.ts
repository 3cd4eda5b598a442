import type { Issue } from '@skill-mapping/shared-schema';
import { ERROR_STATUS } from '@skill-mapping/shared-schema';

/** Stable error codes of the connector's HTTP API with their status; the contract's codes come first. */
export const PROBLEM_STATUS = {
  ...ERROR_STATUS,
  EVENT_TYPE_UNKNOWN: 400,
  AUTH_MISSING: 401,
  AUTH_INVALID: 401,
  AUTH_FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONTENT_NOT_FOUND: 404,
  MAPPING_NOT_FOUND: 404,
  RECONCILE_RUN_NOT_FOUND: 404,
  QUERY_INVALID: 400,
  MAPPING_INVALID: 400,
  CSV_INVALID: 400,
  CSV_HEADER_UNKNOWN: 400,
  CSV_ENCODING_INVALID: 400,
  MEDIA_TYPE_UNSUPPORTED: 415,
  RECONCILE_NOT_CONFIGURED: 409,
  RECONCILE_RUNNING: 409,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;
export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Partial<Record<ProblemCode, string>> = {
  SIGNATURE_MISSING: 'Webhook signature headers missing',
  SIGNATURE_INVALID: 'Webhook signature invalid',
  TIMESTAMP_OUT_OF_TOLERANCE: 'Webhook timestamp outside the tolerance',
  EVENT_ID_MISMATCH: 'webhook-id does not match event_id',
  PAYLOAD_INVALID: 'Payload invalid',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  SCHEMA_VERSION_UNSUPPORTED: 'Schema version unsupported',
  CURSOR_INVALID: 'Cursor invalid',
  CURSOR_EXPIRED: 'Cursor expired',
  LIMIT_OUT_OF_RANGE: 'Limit out of range',
  AUTH_MISSING: 'Authentication required',
  AUTH_INVALID: 'API key invalid',
  AUTH_FORBIDDEN: 'API key lacks the scope',
};

/** Turns `MAPPING_NOT_FOUND` into "Mapping not found", the form of the explicit titles. */
function sentenceCase(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An error the HTTP layer turns into `application/problem+json` with the code's status. */
export class ProblemError extends Error {
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    detail: string,
    readonly issues?: Issue[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail);
    this.status = PROBLEM_STATUS[code];
  }

  toJSON() {
    return {
      type: `https://skill-mapping.dev/problems/${this.code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[this.code] ?? sentenceCase(this.code),
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.extra ?? {}),
    };
  }
}
