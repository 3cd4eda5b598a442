import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { APP_DIR, PLUGIN_DIR, REPO_DIR, STRAPI_BIN } from './paths.mjs';

const listFiles = (dir) => {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
};

const newestMtime = (files) => Math.max(0, ...files.map((file) => fs.statSync(file).mtimeMs));

const run = (args, cwd, label) => {
  const started = Date.now();
  execFileSync(args[0], args.slice(1), { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  process.stdout.write(`# ${label} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};

/** Builds the plugin when a source file is newer than its build output. */
export const ensurePluginBuilt = () => {
  const outputs = ['dist/admin/index.mjs', 'dist/server/index.js'].map((file) => path.join(PLUGIN_DIR, file));
  const sources = ['admin/src', 'server/src', 'shared'].flatMap((dir) => listFiles(path.join(PLUGIN_DIR, dir)));
  const outputsExist = outputs.every((file) => fs.existsSync(file));
  const oldestOutput = outputsExist ? Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs)) : 0;

  if (!outputsExist || newestMtime(sources) > oldestOutput) {
    run(['npm', 'run', 'build', '-w', '@skill-mapping/strapi-plugin'], REPO_DIR, 'plugin build');
  }
};

/** Tells whether `appDir` has an admin build newer than every input (make's rule). */
const isAdminBuildFresh = (appDir) => {
  const inputs = [
    ...listFiles(path.join(PLUGIN_DIR, 'dist', 'admin')),
    ...listFiles(path.join(appDir, 'src')),
    ...listFiles(path.join(appDir, 'config')),
    path.join(appDir, 'package.json'),
    path.join(appDir, 'tsconfig.json'),
  ].filter((file) => fs.existsSync(file));
  const outputs = ['dist/build/index.html', 'dist/config/server.js'].map((file) => path.join(appDir, file));
  const outputsExist = outputs.every((file) => fs.existsSync(file));
  const oldestOutput = outputsExist ? Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs)) : 0;
  return outputsExist && oldestOutput >= newestMtime(inputs);
};

/**
 * Makes sure `appDir` (the private copy) has a current admin build. A current build of the example
 * app itself, as `npm run build` leaves it in CI, is copied instead of built again, so one CI run builds
 * the admin panel once. Otherwise it runs `strapi build`, which costs about a minute and 2 GB of memory.
 */
export const ensureAdminBuilt = (appDir) => {
  if (isAdminBuildFresh(appDir)) {
    process.stdout.write('# admin build reused: output newer than its inputs\n');
    return;
  }

  if (appDir !== APP_DIR && isAdminBuildFresh(APP_DIR)) {
    // Copied files get the current time, so the copy's build counts as newer than its synced inputs.
    fs.rmSync(path.join(appDir, 'dist'), { recursive: true, force: true });
    fs.cpSync(path.join(APP_DIR, 'dist'), path.join(appDir, 'dist'), { recursive: true });
    process.stdout.write('# admin build copied from examples/strapi-app\n');
    return;
  }

  run([STRAPI_BIN, 'build'], appDir, 'strapi build');
};
