'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const pluginDir = path.resolve(__dirname, '..');
const appDir = path.resolve(pluginDir, '..', '..', 'examples', 'strapi-app');
const dataDir = path.resolve(appDir, '..', 'data');

/** Builds the plugin server bundle and compiles the example app, as the tests do. */
async function build() {
  require('esbuild').buildSync({
    entryPoints: [path.join(pluginDir, 'server', 'src', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: path.join(pluginDir, 'dist', 'server', 'index.js'),
    logLevel: 'error',
  });
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir });
}

/** Boots the compiled example app on a fresh SQLite file. */
async function bootStrapi() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-bench-'));
  Object.assign(process.env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'bench.db'), LOG_LEVEL: 'error' });
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  return {
    strapi,
    async close() {
      await strapi.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function subsetCsv() {
  return fs.readFileSync(path.join(dataDir, 'skills_subset_200.csv'), 'utf8');
}

module.exports = { appDir, build, bootStrapi, percentile, subsetCsv };
