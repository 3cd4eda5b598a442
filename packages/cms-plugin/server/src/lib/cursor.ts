import { CursorError, decodeCursor as decodeSharedCursor, encodeCursor, type DecodedCursor } from '@skill-mapping/shared-schema';
import { badRequest } from './errors';

export { encodeCursor, type DecodedCursor };

/** Decodes a feed cursor or an RFC 3339 start time; throws a 400 CURSOR_INVALID otherwise. */
export function decodeCursor(text: string): DecodedCursor {
  try {
    return decodeSharedCursor(text);
  } catch (error) {
    if (error instanceof CursorError) {
      throw badRequest('CURSOR_INVALID', error.message, { value: text.slice(0, 80) });
    }
    throw error;
  }
}
