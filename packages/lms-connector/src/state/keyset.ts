/**
 * Opaque cursors for the state listings (`GET /content`, `GET /skills`, `GET /mappings/skills`): the
 * last key of the previous page, base64url-encoded JSON. The change feed uses shared-schema's cursor.
 */
export function encodeKeyset(key: string[]): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

export function decodeKeyset(text: string, parts: number): string[] | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { k?: unknown };
    if (!Array.isArray(value.k) || value.k.length !== parts || !value.k.every((part) => typeof part === 'string')) return undefined;
    return value.k as string[];
  } catch {
    return undefined;
  }
}
