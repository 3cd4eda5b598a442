'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { DemoError } = require('./errors');

/** Rejects with a one-line reason and the fix when `port` on `host` is already taken. */
function assertPortFree(host, port, envName) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new DemoError(
            'PORT_IN_USE',
            `Port ${port} on ${host} is already in use; stop the process holding it (\`lsof -i :${port}\`) or pick another port with ${envName}=<port>.`,
          ),
        );
      } else {
        reject(new DemoError('PORT_UNAVAILABLE', `Cannot listen on ${host}:${port} (${error.code}); pick another port with ${envName}=<port>.`));
      }
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Returns the last `count` lines of a log file, for the message printed when a service dies. */
function tailFile(file, count = 15) {
  try {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines.slice(-count).join('\n');
  } catch {
    return '';
  }
}

/**
 * A long-running child (Strapi or the connector) in its own process group, so a Ctrl-C in the terminal
 * reaches only the orchestrator, which then stops the services in order and waits for them. Output goes
 * to a log file, never to the terminal, because both services log at info level.
 * NOTE: if the orchestrator itself is killed with SIGKILL, the services keep running; the next
 * `npm start` then reports their ports as in use.
 */
class Service {
  constructor({ name, command, args, cwd, env, logFile }) {
    Object.assign(this, { name, command, args, cwd, env, logFile });
    this.child = null;
    this.exited = null;
  }

  start() {
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(this.command, this.args, { cwd: this.cwd, env: this.env, stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    this.exitCode = undefined;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? signal;
        resolve(this.exitCode);
      });
      this.child.once('error', (error) => {
        this.exitCode = error.code;
        resolve(this.exitCode);
      });
    });
    return this;
  }

  get pid() {
    return this.child ? this.child.pid : undefined;
  }

  get running() {
    return this.child !== null && this.exitCode === undefined;
  }

  /** Sends SIGTERM to the whole group, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000) {
    if (!this.running) return;
    signalGroup(this.child.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.child.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    // A grandchild that outlived its parent would keep the port: the group gets a last SIGKILL.
    signalGroup(this.child.pid, 'SIGKILL');
  }

  /** Polls `url` until `accept(status)` holds; fails early with the log tail if the process exits. */
  async waitForHttp(url, { timeoutMs = 120_000, accept = (status) => status < 500 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new DemoError(
          'SERVICE_EXITED',
          `${this.name} exited with ${this.exitCode} before answering on ${url}; see ${this.logFile}. Last lines:\n${tailFile(this.logFile)}`,
        );
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (accept(response.status)) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new DemoError('SERVICE_TIMEOUT', `${this.name} did not respond on ${url} within ${timeoutMs / 1000} s; see ${this.logFile}.`);
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/** Runs a short command to completion; rejects with its output when it fails. */
function runCommand(command, args, { cwd, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const error = new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}: ${(stderr || stdout).trim().split('\n').slice(-5).join(' | ')}`);
        error.exitCode = code;
        error.stdout = stdout;
        error.stderr = stderr;
        reject(error);
      }
    });
    child.stdin.end(input ?? '');
  });
}

module.exports = { Service, assertPortFree, runCommand, tailFile };
