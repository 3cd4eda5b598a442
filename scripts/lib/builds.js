'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { DemoError } = require('./errors');
const { paths } = require('./paths');

// Folders never read as build inputs: outputs, caches and installed packages.
const IGNORED_DIRS = new Set(['node_modules', 'dist', 'build', '.cache', '.tmp', '.strapi', 'coverage', 'test', 'bench', 'types']);

/**
 * The builds `npm start` needs, in dependency order. Each has the files it reads and one file it
 * writes last; a build is skipped when that output is newer than every input (make's rule), so a
 * build made by `npm run build` or an earlier run is reused.
 */
const BUILDS = [
  {
    name: 'shared schema',
    workspace: '@skill-mapping/shared-schema',
    inputs: [path.join(paths.sharedSchema, 'src'), path.join(paths.sharedSchema, 'package.json')],
    output: path.join(paths.sharedSchema, 'dist', 'index.js'),
  },
  {
    name: 'Strapi plugin',
    workspace: '@skill-mapping/strapi-plugin',
    inputs: [
      path.join(paths.cmsPlugin, 'server'),
      path.join(paths.cmsPlugin, 'admin'),
      path.join(paths.cmsPlugin, 'shared'),
      path.join(paths.cmsPlugin, 'package.json'),
      path.join(paths.sharedSchema, 'dist'),
    ],
    output: path.join(paths.cmsPlugin, 'dist', 'server', 'index.js'),
  },
  {
    name: 'connector',
    workspace: '@skill-mapping/lms-connector',
    inputs: [path.join(paths.connector, 'src'), path.join(paths.connector, 'package.json'), path.join(paths.sharedSchema, 'dist')],
    output: path.join(paths.connector, 'dist', 'cli.js'),
  },
  {
    // The app's TypeScript (config and src) compiled to dist/, which `strapi start` loads.
    name: 'Strapi app server code',
    command: [process.execPath, '-e', "require('@strapi/strapi').compileStrapi({ appDir: process.cwd() }).catch((e) => { console.error(e); process.exit(1); })"],
    cwd: paths.strapiApp,
    inputs: [
      path.join(paths.strapiApp, 'config'),
      path.join(paths.strapiApp, 'src'),
      path.join(paths.strapiApp, 'tsconfig.json'),
    ],
    output: path.join(paths.strapiApp, 'dist', 'src', 'index.js'),
  },
  {
    // `strapi build` bundles the admin panel with the plugin's admin half; it is the slow step (about
    // a minute), so only the admin sources count as inputs, and the plugin's server bundle does not.
    name: 'Strapi admin panel',
    workspace: 'strapi-app',
    inputs: [
      path.join(paths.strapiApp, 'src', 'admin'),
      path.join(paths.strapiApp, 'package.json'),
      path.join(paths.cmsPlugin, 'dist', 'admin'),
    ],
    output: path.join(paths.strapiApp, 'dist', 'build', 'index.html'),
  },
];

/** Returns the newest modification time (ms) among the files under `entries`, 0 when none exists. */
function newestMtime(entries) {
  let newest = 0;
  const visit = (entry) => {
    let stat;
    try {
      stat = fs.statSync(entry);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      if (IGNORED_DIRS.has(path.basename(entry)) && !entries.includes(entry)) return;
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
      return;
    }
    // Documentation never changes a build's output.
    if (entry.endsWith('.md')) return;
    newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of entries) visit(entry);
  return newest;
}

function isUpToDate(build) {
  let outputTime;
  try {
    outputTime = fs.statSync(build.output).mtimeMs;
  } catch {
    return false;
  }
  return outputTime >= newestMtime(build.inputs);
}

// The command a user runs by hand to make the build and see its errors.
function fixCommand(build) {
  return build.workspace ? `npm run build -w ${build.workspace}` : 'npm run build -w strapi-app';
}

function runBuild(build, logDir) {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `build-${build.name.replace(/\W+/g, '-').toLowerCase()}.log`);
  const out = fs.openSync(logFile, 'w');

  return new Promise((resolve, reject) => {
    const [command, ...args] = build.command || ['npm', 'run', 'build', '-w', build.workspace];
    const child = spawn(command, args, {
      cwd: build.cwd || paths.repoRoot,
      stdio: ['ignore', out, out],
      env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' },
    });
    child.on('error', (error) => {
      fs.closeSync(out);
      reject(new DemoError('BUILD_FAILED', `Could not run npm to build the ${build.name} (${error.message}); check that npm is on PATH.`));
    });
    child.on('exit', (code) => {
      fs.closeSync(out);
      if (code === 0 && fs.existsSync(build.output)) return resolve(logFile);
      reject(
        new DemoError(
          'BUILD_FAILED',
          `Build of the ${build.name} failed (exit ${code}, log ${path.relative(process.cwd(), logFile)}); ` +
            `run \`${fixCommand(build)}\` to see the error.`,
        ),
      );
    });
  });
}

/**
 * Builds whatever is missing or stale. With `skip` set nothing is built, and a missing output is an
 * error naming the command that makes it.
 */
async function ensureBuilds({ logDir, skip = false, log }) {
  if (!fs.existsSync(paths.strapiBin)) {
    throw new DemoError('DEPENDENCIES_MISSING', 'Dependencies are not installed (no node_modules/@strapi/strapi); run `npm install` first.');
  }

  for (const build of BUILDS) {
    if (isUpToDate(build)) {
      log(`build: ${build.name} is up to date`);
      continue;
    }
    if (skip) {
      if (fs.existsSync(build.output)) {
        log(`build: ${build.name} is older than its sources; using it anyway (--no-build)`);
        continue;
      }
      throw new DemoError('BUILD_MISSING', `The ${build.name} is not built (${path.relative(paths.repoRoot, build.output)} is missing); run \`${fixCommand(build)}\` or start without --no-build.`);
    }
    const started = Date.now();
    log(`build: ${build.name}...`);
    await runBuild(build, logDir);
    log(`build: ${build.name} done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

module.exports = { BUILDS, ensureBuilds, isUpToDate };
