import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { type Connector, createConnector } from '../../src/service';
import { TEST_SECRET } from './events';

/** Every log line written by connectors started in this test file, and every secret they were given. */
export const capturedLogs: string[] = [];
export const knownSecrets = new Set<string>([TEST_SECRET]);

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sm-connector-${prefix}-`));
}

export interface TestConnector {
  connector: Connector;
  url: string;
  adminKey: string;
  readKey: string;
  writeKey: string;
  post(pathname: string, init: { body: string; headers: Record<string, string> }): Promise<Response>;
  get(pathname: string, key?: string): Promise<Response>;
  /** Returns once every inbox row is applied, applying them here rather than waiting for the poll. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a real connector on 127.0.0.1 with a port of its own (SQLite in a temp dir unless
 * DATABASE_URL is given), with keys of each scope created through the key store.
 */
export async function startConnector(env: Record<string, string> = {}, options: { workers?: boolean } = {}): Promise<TestConnector> {
  const fullEnv: NodeJS.ProcessEnv = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'debug',
    WEBHOOK_SECRETS: TEST_SECRET,
    DATABASE_URL: path.join(tempDir('db'), 'connector.db'),
    RECONCILE_INTERVAL_MS: '0',
    RECONCILE_FULL_INTERVAL_MS: '0',
    RETENTION_INTERVAL_MS: '0',
    APPLY_POLL_INTERVAL_MS: '50',
    ADAPTER_POLL_INTERVAL_MS: '50',
    ...env,
  };
  for (const name of ['WEBHOOK_SECRETS', 'CMS_API_TOKEN']) {
    for (const secret of (fullEnv[name] ?? '').split(/[\s,]+/)) if (secret) knownSecrets.add(secret);
  }

  const config = loadConfig(fullEnv);
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) capturedLogs.push(line);
      callback();
    },
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const connector = await createConnector({ config, env: fullEnv, logger });
  const adminKey = (await connector.keys.create('test admin', ['admin'])).key;
  const readKey = (await connector.keys.create('test reader', ['changes:read'])).key;
  const writeKey = (await connector.keys.create('test mapper', ['mappings:write'])).key;
  for (const key of [adminKey, readKey, writeKey]) knownSecrets.add(key);

  let url: string;
  if (options.workers === false) {
    url = await connector.app.listen({ host: '127.0.0.1', port: 0 });
  } else {
    url = await connector.listen();
  }

  return {
    connector,
    url,
    adminKey,
    readKey,
    writeKey,
    post: (pathname, init) => fetch(url + pathname, { method: 'POST', body: init.body, headers: init.headers }),
    get: (pathname, key = readKey) => fetch(url + pathname, { headers: { authorization: `Bearer ${key}` } }),
    async drain() {
      // The background worker may hold a row (SKIP LOCKED hides it from this drain), so wait until
      // nothing is pending rather than trusting one pass.
      await eventually(async () => {
        await connector.applyWorker.drain();
        const pending = await connector.db.kysely.selectFrom('inbox').select('id').where('status', '=', 'pending').limit(1).execute();
        return pending.length === 0;
      });
    },
    close: () => connector.close(),
  };
}

/** Waits until `check` returns a truthy value, polling every 20 ms; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lines of the captured logs that contain any known secret or key. */
export function leakedSecrets(): string[] {
  return capturedLogs.filter((line) => [...knownSecrets].some((secret) => line.includes(secret)));
}
