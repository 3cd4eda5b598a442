'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { DemoError } = require('./errors');
const { paths } = require('./paths');
const { runCommand } = require('./processes');

/**
 * Seeds the CMS database once with the example app's seed script: the skill catalog, then the
 * courses (published, some tagged from the 200-skill subset). The script boots its own Strapi on the
 * database file, so it runs before the server starts, never beside it.
 */
async function seedCms(stack) {
  const { state } = stack;
  if (state.isDone('cms-seed')) return;

  const args = [path.join(paths.strapiApp, 'scripts', 'seed.js'), '--skills', stack.skillsFile];
  if (stack.courseLimit) args.push('--limit', String(stack.courseLimit));
  const logFile = path.join(stack.logDir, 'seed.log');
  fs.mkdirSync(stack.logDir, { recursive: true });

  stack.log(`seed: loading ${path.basename(stack.skillsFile)} and the courses into the CMS (first run only)...`);
  const started = Date.now();
  let output;
  try {
    output = await runCommand(process.execPath, args, { cwd: paths.strapiApp, env: stack.cmsEnv() });
  } catch (error) {
    fs.writeFileSync(logFile, `${error.stdout || ''}${error.stderr || ''}`);
    throw new DemoError('SEED_FAILED', `Seeding the CMS failed (log ${logFile}); run \`npm start -- --fresh\` to start over. ${error.message.split('\n')[0]}`);
  }
  fs.writeFileSync(logFile, `${output.stdout}${output.stderr}`);

  state.markDone('cms-seed');
  for (const line of output.stdout.trim().split('\n').filter((text) => /^(Skills|Courses):/.test(text))) stack.log(`seed: ${line}`);
  stack.log(`seed: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

module.exports = { seedCms };
