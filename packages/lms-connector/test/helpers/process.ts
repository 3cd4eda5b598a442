import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const BIN = path.join(__dirname, '../../bin/skill-connector.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion with the given environment (added to a minimal one). */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output: string[];
  /** Resolves with the exit code or signal when the process ends. */
  exited: Promise<number | string | null>;
}

/** Starts `skill-connector serve` on 127.0.0.1 with an ephemeral port and waits for it to listen. */
export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', RECONCILE_INTERVAL_MS: '0', RECONCILE_FULL_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${output.join('\n')}`)), 30_000);
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (line.includes('"connector listening"')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { address: string }).address);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
  return { child, url, output, exited };
}
