const path = require('path');

const pluginDir = path.join(__dirname, '..', '..');
const appDir = path.join(pluginDir, '..', '..', 'examples', 'strapi-app');

/** Builds the plugin's server bundle and compiles the example app once per test run. */
module.exports = async () => {
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
};
