'use strict';

const path = require('path');

const appDir = path.resolve(__dirname, '..');

/**
 * Compiles the app (TypeScript to dist/) and loads Strapi without the admin panel and without the
 * delivery worker, for one-off scripts. Returns the loaded instance; call `destroy()` when done.
 */
async function loadStrapi({ compile = true, worker = false } = {}) {
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  if (compile) await compileStrapi({ appDir });
  if (!worker) process.env.SKILL_MAPPING_WORKER = '0';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  return createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false }).load();
}

module.exports = { appDir, loadStrapi };
