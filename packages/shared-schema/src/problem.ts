import { z } from 'zod';

/** Stable error codes of the contract and the HTTP status each one travels with. */
export const ERROR_STATUS = {
  SIGNATURE_MISSING: 401,
  SIGNATURE_INVALID: 401,
  TIMESTAMP_OUT_OF_TOLERANCE: 401,
  EVENT_ID_MISMATCH: 400,
  PAYLOAD_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  SCHEMA_VERSION_UNSUPPORTED: 400,
  CURSOR_INVALID: 400,
  CURSOR_EXPIRED: 410,
  LIMIT_OUT_OF_RANGE: 400,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export const ProblemIssue = z.looseObject({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details with our stable `code` and, for validation failures, every issue. */
export const ProblemDetails = z.looseObject({
  type: z.string().default('about:blank'),
  title: z.string(),
  status: z.int().min(100).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  issues: z.array(ProblemIssue).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetails>;
