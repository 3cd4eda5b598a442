'use strict';

const net = require('node:net');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { paths } = require('../../scripts/lib/paths');
const { ARTIFACTS } = require('../helpers/stack');
const { freePort } = require('../helpers/ports');

/** Runs `node scripts/start.js` with `args` and `env` and resolves with its exit code and output. */
function runStart(args, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(paths.repoRoot, 'scripts', 'start.js'), ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

describe('npm start errors', () => {
  const demoDir = path.join(ARTIFACTS, `start-errors-${randomBytes(3).toString('hex')}`);

  test('busy port gives one line', async () => {
    const blocker = net.createServer();
    await new Promise((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const busy = blocker.address().port;

    try {
      const result = await runStart(['--no-build'], {
        SKILL_MAPPING_DEMO_DIR: demoDir,
        SKILL_MAPPING_CMS_PORT: String(await freePort()),
        SKILL_MAPPING_CONNECTOR_PORT: String(busy),
      });

      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Port ${busy} on 127.0.0.1 is already in use`);
      expect(lines[0]).toContain('SKILL_MAPPING_CONNECTOR_PORT=<port>');
    } finally {
      blocker.close();
    }
  });

  test('invalid port gives one line', async () => {
    const result = await runStart([], { SKILL_MAPPING_DEMO_DIR: demoDir, SKILL_MAPPING_CMS_PORT: 'http' });

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['npm start: SKILL_MAPPING_CMS_PORT="http" is not a TCP port; give an integer from 1 to 65535.']);
  });

  test('unknown option gives one line', async () => {
    const result = await runStart(['--frsh'], { SKILL_MAPPING_DEMO_DIR: demoDir });

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('npm start: Unknown option --frsh; run `npm start -- --help` for the options.');
  });
});
