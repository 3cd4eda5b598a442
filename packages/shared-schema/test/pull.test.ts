import {
  ChangesQuery,
  CursorError,
  decodeCursor,
  decodeJsonBody,
  encodeCursor,
  JsonBodyError,
  jsonDepth,
} from '../src';

describe('cursor', () => {
  test('round-trips a position', () => {
    const cursor = encodeCursor({ t: '2026-08-01T12:00:00.000Z', s: 42 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ kind: 'position', t: '2026-08-01T12:00:00.000Z', s: 42 });
  });

  test.each(['2025-08-01T00:00:00Z', '2025-08-01T00:00:00.123+02:00'])('accepts timestamp %s', (text) => {
    expect(decodeCursor(text)).toEqual({ kind: 'timestamp', t: text });
  });

  test.each([
    ['garbage', 'not a cursor!'],
    ['base64 of text', Buffer.from('hello').toString('base64url')],
    ['wrong version', Buffer.from(JSON.stringify({ v: 9, t: '2026-08-01T00:00:00Z', s: 1 })).toString('base64url')],
    ['negative sequence', Buffer.from(JSON.stringify({ v: 1, t: '2026-08-01T00:00:00Z', s: -1 })).toString('base64url')],
    ['date only', '2025-08-01'],
    ['empty', ''],
  ])('rejects %s', (_label, text) => {
    expect(() => decodeCursor(text)).toThrow(CursorError);
    try {
      decodeCursor(text);
    } catch (error) {
      expect((error as CursorError).code).toBe('CURSOR_INVALID');
    }
  });
});

describe('ChangesQuery', () => {
  test('defaults limit to 100', () => {
    expect(ChangesQuery.parse({}).limit).toBe(100);
  });

  test.each([['1', 1], ['500', 500], ['37', 37]])('accepts limit %s', (text, value) => {
    expect(ChangesQuery.parse({ limit: text }).limit).toBe(value);
  });

  test.each(['0', '501', '2.5', 'ten', '-1'])('rejects limit %s with the range', (text) => {
    const result = ChangesQuery.safeParse({ limit: text });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['limit']);
    expect(result.error!.issues[0]!.message).toContain('1 to 500');
  });
});

describe('decodeJsonBody', () => {
  function nested(depth: number): string {
    return '['.repeat(depth) + ']'.repeat(depth);
  }

  test('parses UTF-8 JSON bytes', () => {
    expect(decodeJsonBody(Buffer.from('{"title":"日本語 ✓"}', 'utf8'))).toEqual({ title: '日本語 ✓' });
  });

  test('accepts 64 levels and rejects 65', () => {
    expect(jsonDepth(decodeJsonBody(nested(64)))).toBe(64);
    expect(() => decodeJsonBody(nested(65))).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_DEEP' }));
  });

  test('rejects invalid UTF-8', () => {
    expect(() => decodeJsonBody(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]))).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_NOT_UTF8' }),
    );
  });

  test('rejects invalid JSON', () => {
    expect(() => decodeJsonBody('{"a":')).toThrow(JsonBodyError);
  });

  test('depth of deep input does not overflow the stack', () => {
    expect(jsonDepth(JSON.parse(nested(100_000)))).toBe(100_000);
  });
});
