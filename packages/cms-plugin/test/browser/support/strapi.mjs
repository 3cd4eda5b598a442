import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { STRAPI_BIN } from './paths.mjs';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `strapi start` in `appDir` on a fresh SQLite file and a free loopback port, and
 * waits for /_health. The process runs in its own group so stop() ends Strapi and its children.
 */
export const startStrapi = async ({ appDir, env = {}, startTimeoutMs = 120_000 }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-browser-db-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dataDir, 'strapi.log');
  const log = fs.openSync(logFile, 'a');

  const child = spawn(STRAPI_BIN, ['start'], {
    cwd: appDir,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_URL: '',
      DATABASE_FILENAME: path.join(dataDir, 'data.db'),
      BROWSER: 'none',
      STRAPI_TELEMETRY_DISABLED: 'true',
      ...env,
    },
  });

  let exited = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 100 && !exited; i += 1) await sleep(100);
    if (!exited) process.kill(-child.pid, 'SIGKILL');
    fs.closeSync(log);
  };

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`strapi start exited (${JSON.stringify(exited)}) before /_health responded; see ${logFile}`);
    }
    try {
      const response = await fetch(`${url}/_health`);
      if (response.status === 204) return { url, port, dataDir, logFile, stop };
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }

  await stop();
  throw new Error(`strapi start did not respond to /_health within ${startTimeoutMs} ms; see ${logFile}`);
};
