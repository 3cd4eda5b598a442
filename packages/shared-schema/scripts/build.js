// Builds CommonJS and ESM bundles with esbuild and the type declarations with tsc.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const common = {
  entryPoints: [path.join(root, 'src/index.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

async function main() {
  await esbuild.build({ ...common, format: 'cjs', outfile: path.join(root, 'dist/index.js') });
  await esbuild.build({ ...common, format: 'esm', outfile: path.join(root, 'dist/index.mjs') });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
