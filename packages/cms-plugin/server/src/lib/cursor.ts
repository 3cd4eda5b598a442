import { badRequest } from './errors';

// TODO: switch to encodeCursor/decodeCursor from @skill-mapping/shared-schema once it is published
// in the repo; the format below is the same base64url JSON `{ t, s }`.

export type DecodedCursor = { kind: 'position'; t: string; s: number } | { kind: 'timestamp'; t: string };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function encodeCursor(position: { t: string; s: number }): string {
  return Buffer.from(JSON.stringify({ t: position.t, s: position.s }), 'utf8').toString('base64url');
}

/** Decodes a feed cursor or an RFC 3339 start time; throws a 400 CURSOR_INVALID otherwise. */
export function decodeCursor(text: string): DecodedCursor {
  if (RFC3339.test(text) && !Number.isNaN(Date.parse(text))) {
    return { kind: 'timestamp', t: new Date(text).toISOString() };
  }
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof value?.t === 'string' && Number.isSafeInteger(value?.s) && value.s >= 0 && !Number.isNaN(Date.parse(value.t))) {
      return { kind: 'position', t: value.t, s: value.s };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badRequest(
    'CURSOR_INVALID',
    `cursor "${text.slice(0, 80)}" is invalid: pass back a cursor returned by this API or an RFC 3339 timestamp.`,
    { value: text.slice(0, 80) },
  );
}
