import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './db/connection';

export const SCOPES = ['changes:read', 'mappings:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const KEY_PREFIX = 'skc_';
// Keys are 192-bit random, so a fast hash is enough: there is nothing to brute-force a dictionary on.
const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export class KeyError extends Error {
  constructor(
    readonly code: 'KEY_SCOPE_INVALID' | 'KEY_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export function parseScopes(values: string[]): Scope[] {
  const scopes = values.flatMap((value) => value.split(/[\s,]+/)).filter((value) => value.length > 0);
  if (scopes.length === 0) throw new KeyError('KEY_SCOPE_INVALID', `No scope given; pass --scope with one of ${SCOPES.join(', ')}.`);
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new KeyError('KEY_SCOPE_INVALID', `Scope "${scope}" is unknown; use one of ${SCOPES.join(', ')}.`);
    }
  }
  return [...new Set(scopes)] as Scope[];
}

/** API keys: created once and shown once, stored as SHA-256 hashes, looked up by their public id. */
export class KeyStore {
  // Verified keys are cached briefly, so the pull routes do not hit the database per request. A
  // revocation therefore takes effect in other processes within this many milliseconds.
  private readonly cache = new Map<string, { info: ApiKeyInfo; hash: string; until: number }>();
  private static readonly CACHE_MS = 5000;

  constructor(private readonly db: Db) {}

  async create(name: string, scopes: Scope[]): Promise<{ key: string; info: ApiKeyInfo }> {
    const id = randomBytes(6).toString('hex');
    const key = `${KEY_PREFIX}${id}_${randomBytes(24).toString('base64url')}`;
    const info: ApiKeyInfo = { id, name, scopes, created_at: new Date().toISOString(), revoked_at: null, last_used_at: null };
    await this.db.kysely
      .insertInto('api_key')
      .values({ id, name, key_hash: hashKey(key), scopes: scopes.join(' '), created_at: info.created_at })
      .execute();
    return { key, info };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.kysely.selectFrom('api_key').selectAll().orderBy('created_at').execute();
    return rows.map(({ key_hash: _hash, ...row }) => ({ ...row, scopes: row.scopes.split(' ') as Scope[] }));
  }

  async revoke(id: string): Promise<void> {
    const result = await this.db.kysely
      .updateTable('api_key')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    this.cache.delete(id);
    if (Number(result.numUpdatedRows) === 0) {
      throw new KeyError('KEY_NOT_FOUND', `No active key with id "${id}"; list keys with \`skill-connector keys list\`.`);
    }
  }

  /** Returns the key's record when the key is valid and not revoked, else undefined. */
  async verify(key: string): Promise<ApiKeyInfo | undefined> {
    const match = /^skc_([0-9a-f]{12})_[A-Za-z0-9_-]+$/.exec(key);
    if (!match) return undefined;
    const id = match[1]!;
    const hash = hashKey(key);

    const cached = this.cache.get(id);
    if (cached && cached.until > Date.now()) return sameHash(cached.hash, hash) ? cached.info : undefined;

    const row = await this.db.kysely.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.revoked_at !== null) return undefined;
    const { key_hash, ...rest } = row;
    const info: ApiKeyInfo = { ...rest, scopes: row.scopes.split(' ') as Scope[] };
    this.cache.set(id, { info, hash: key_hash, until: Date.now() + KeyStore.CACHE_MS });
    if (!sameHash(key_hash, hash)) return undefined;

    if (!row.last_used_at || Date.parse(row.last_used_at) < Date.now() - 60_000) {
      await this.db.kysely.updateTable('api_key').set({ last_used_at: new Date().toISOString() }).where('id', '=', id).execute();
    }
    return info;
  }
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
