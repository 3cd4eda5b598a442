import { z } from 'zod';

import { Timestamp } from './model';

/** A place in a change feed: the change's time and its sequence number, which breaks ties. */
export interface CursorPosition {
  t: string;
  s: number;
}

export type DecodedCursor = ({ kind: 'position' } & CursorPosition) | { kind: 'timestamp'; t: string };

export class CursorError extends Error {
  override readonly name = 'CursorError';
  readonly code = 'CURSOR_INVALID';
}

const CURSOR_FORMAT_VERSION = 1;

const CursorPayload = z.object({
  v: z.literal(CURSOR_FORMAT_VERSION),
  t: Timestamp,
  s: z.int().min(0),
});

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Encodes a feed position as an opaque base64url token; clients pass it back and never read it. */
export function encodeCursor(position: CursorPosition): string {
  const payload = CursorPayload.parse({ v: CURSOR_FORMAT_VERSION, t: position.t, s: position.s });
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from a client. An RFC 3339 timestamp is also accepted, as an inclusive starting
 * point; anything else raises `CursorError`.
 */
export function decodeCursor(text: string): DecodedCursor {
  if (Timestamp.safeParse(text).success) return { kind: 'timestamp', t: text };

  const invalid = () =>
    new CursorError(
      `Cursor "${text.slice(0, 80)}" is invalid; pass back a cursor returned by the feed or an RFC 3339 timestamp such as 2026-08-01T00:00:00Z.`,
    );
  if (!BASE64URL.test(text)) throw invalid();

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }

  const parsed = CursorPayload.safeParse(payload);
  if (!parsed.success) throw invalid();
  return { kind: 'position', t: parsed.data.t, s: parsed.data.s };
}
