import fs from 'node:fs';
import path from 'node:path';
import { FakeCms } from './helpers/cms-server';
import { tempDir } from './helpers/connector';
import { SKILLS } from './helpers/events';
import { runCli } from './helpers/process';

const FIXTURE = path.join(__dirname, 'fixtures/moodle_competency_framework_esco200.csv');

describe('skill-connector CLI', () => {
  const dir = tempDir('cli');
  const env = { DATABASE_URL: path.join(dir, 'cli.db') };

  test.each([[[]], [['serve']], [['migrate']], [['reconcile']], [['keys', 'create']], [['keys', 'list']], [['keys', 'revoke']], [['mappings', 'import']], [['replay']]])('%j --help', (args) => {
    const result = runCli([...args, '--help'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: skill-connector');
  });

  test('invalid settings exit 2, one line each', () => {
    const result = runCli(['migrate'], { ...env, PORT: 'abc', RECONCILE_INTERVAL_MS: '-1', CMS_URL: 'ftp://cms' });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.some((line) => line.includes('PORT="abc"'))).toBe(true);
    expect(lines.some((line) => line.includes('RECONCILE_INTERVAL_MS="-1"'))).toBe(true);
    expect(lines.some((line) => line.includes('CMS_URL'))).toBe(true);
  });

  test('config file values are validated', () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ PORT: 70000, SURPRISE: 1 }));
    const result = runCli(['--config', file, 'migrate'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT=70000');
    expect(result.stderr).toContain('SURPRISE: unknown key');
  });

  test('serve with bad bands or adapter exits 2', () => {
    const result = runCli(['serve'], { ...env, WEBHOOK_SECRETS: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', PROFICIENCY_BANDS: 'expert:2', LMS_ADAPTER: 'blackboard' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('LMS_ADAPTER="blackboard": unknown adapter');
    const bands = runCli(['serve'], { ...env, WEBHOOK_SECRETS: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', PROFICIENCY_BANDS: 'expert:2' });
    expect(bands.status).toBe(2);
    expect(bands.stderr).toContain('PROFICIENCY_BANDS="expert:2"');
    expect(bands.stderr).not.toContain('whsec_');
  });

  test('serve without secrets exits 2', () => {
    const result = runCli(['serve'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('WEBHOOK_SECRETS: missing');
  });

  test('migrate reports applied, then current', () => {
    const fresh = { DATABASE_URL: path.join(dir, 'fresh.db') };
    const first = runCli(['migrate'], fresh);
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe('applied: 0001_initial');
    const second = runCli(['migrate'], fresh);
    expect(second.stdout.trim()).toBe('schema already current');
  });

  test('migrate then keys create, list, revoke', () => {
    expect(runCli(['migrate'], env).status).toBe(0);
    const created = runCli(['keys', 'create', '--scope', 'changes:read', '--name', 'lms'], env);
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^skc_[0-9a-f]{12}_/);

    const listed = runCli(['keys', 'list'], env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).not.toContain(key);
    const [entry] = JSON.parse(listed.stdout) as Array<{ id: string; scopes: string[]; revoked_at: string | null }>;
    expect(entry!.scopes).toEqual(['changes:read']);

    expect(runCli(['keys', 'revoke', entry!.id], env).status).toBe(0);
    const again = runCli(['keys', 'revoke', entry!.id], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('KEY_NOT_FOUND');

    const badScope = runCli(['keys', 'create', '--scope', 'everything'], env);
    expect(badScope.status).toBe(2);
    expect(badScope.stderr).toContain('Scope "everything" is unknown');
  });

  test('mappings import reports counts', () => {
    const result = runCli(['mappings', 'import', FIXTURE], env);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ format: 'moodle', rows: 200, created: 200, updated: 0, unchanged: 0, skipped: 4 });

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, `skill_id,lms_competency_id\n${SKILLS[0]},1\nnope,2\n`);
    const failed = runCli(['mappings', 'import', bad], env);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('line 3.skill_id');

    const latin1 = path.join(dir, 'latin1.csv');
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from('content_id,lms_course_id\ncaf'), Buffer.from([0xe9]), Buffer.from(',8\n')]));
    const encoding = runCli(['mappings', 'import', latin1], env);
    expect(encoding.status).toBe(1);
    expect(encoding.stderr).toContain('CSV_ENCODING_INVALID');
    expect(encoding.stderr).toContain('line 2');
  });

  test('replay rejects a malformed cursor', () => {
    const result = runCli(['replay', '--from', '%%%'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CURSOR_INVALID');
    const ok = runCli(['replay', '--from', '2020-01-01T00:00:00Z'], env);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(expect.objectContaining({ changes: 0 }));
  });

  test('reconcile --full --dry-run prints the report', async () => {
    const cms = new FakeCms();
    await cms.start();
    try {
      cms.put({ content_id: 'c-1', locale: null, title: 'One', skill_tags: [{ skill_id: SKILLS[0]!, skill_name: 'S', confidence: 1 }], metadata_version: 1 });
      const cmsEnv = { ...env, CMS_URL: cms.url, CMS_API_TOKEN: cms.token };
      // spawnSync would block the event loop that serves the fake CMS, so run the CLI asynchronously.
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('./helpers/process');
      const run = (args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...cmsEnv } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('exit', (status) => resolve({ status, stdout, stderr }));
        });

      const dry = await run(['reconcile', '--full', '--dry-run']);
      expect(dry.status).toBe(0);
      expect(JSON.parse(dry.stdout)).toEqual(expect.objectContaining({ dry_run: true, created: 1 }));
      expect(dry.stderr).not.toContain(cms.token);

      const full = await run(['reconcile', '--full']);
      expect(JSON.parse(full.stdout)).toEqual(expect.objectContaining({ dry_run: false, created: 1 }));
      const delta = await run(['reconcile']);
      expect(JSON.parse(delta.stdout)).toEqual(expect.objectContaining({ mode: 'delta' }));

      const misuse = await run(['reconcile', '--dry-run']);
      expect(misuse.status).toBe(2);
    } finally {
      await cms.stop();
    }
  });
});
