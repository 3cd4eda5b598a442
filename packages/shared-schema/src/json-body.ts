import { JSON_MAX_DEPTH } from './limits';

export type JsonBodyErrorCode = 'PAYLOAD_NOT_UTF8' | 'PAYLOAD_NOT_JSON' | 'PAYLOAD_TOO_DEEP';

export class JsonBodyError extends Error {
  override readonly name = 'JsonBodyError';

  constructor(
    readonly code: JsonBodyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Returns the nesting depth of a parsed JSON value; scalars have depth 0. Iterative, so no stack limit. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];

  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;

    const childDepth = depth + 1;
    if (childDepth > deepest) deepest = childDepth;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) pending.push([child, childDepth]);
  }

  return deepest;
}

/**
 * Decodes a request body as strict UTF-8 JSON no deeper than `maxDepth`. Receivers call it after the
 * signature check, because the signature covers the raw bytes and not their decoded form.
 */
export function decodeJsonBody(body: Uint8Array | string, maxDepth = JSON_MAX_DEPTH): unknown {
  let text: string;
  try {
    text = typeof body === 'string' ? body : strictUtf8.decode(body);
  } catch {
    throw new JsonBodyError('PAYLOAD_NOT_UTF8', 'Body is not valid UTF-8; send the JSON encoded as UTF-8.');
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonBodyError('PAYLOAD_NOT_JSON', `Body is not valid JSON: ${reason}.`);
  }

  const depth = jsonDepth(value);
  if (depth > maxDepth) {
    throw new JsonBodyError(
      'PAYLOAD_TOO_DEEP',
      `Body nests ${depth} levels deep; the maximum is ${maxDepth}. Flatten the payload.`,
    );
  }

  return value;
}
