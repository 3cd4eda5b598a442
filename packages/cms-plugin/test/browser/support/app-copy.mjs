import fs from 'node:fs';
import path from 'node:path';

import { APP_DIR, PLUGIN_DIR, REPO_DIR } from './paths.mjs';

/**
 * Private copy of the example app that the browser test builds and starts. `strapi build` empties the
 * app's dist/ first, so a build by `npm start` or the end-to-end tests in the same working tree would
 * pull the admin panel from under a running browser test, and the other way round.
 *
 * The copy sits in the git-ignored `.cache/` of the repository, so modules still resolve from the
 * repository's node_modules, and it mirrors the repository layout so the app's `config/plugins.ts`
 * finds the plugin at `../../packages/cms-plugin` (a symlink to the real package). It must not sit
 * under node_modules, because Strapi's TypeScript loader skips files there.
 */
const COPY_ROOT = path.join(REPO_DIR, '.cache', 'skill-mapping-browser');
export const APP_COPY_DIR = path.join(COPY_ROOT, 'examples', 'strapi-app');

const COPIED = ['package.json', 'tsconfig.json', 'favicon.png', 'config', 'src', 'database', 'public'];

const listFiles = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)));

const sameContent = (a, b) => fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b));

/**
 * Copies the app's sources into the private copy. Unchanged files keep their modification time, so
 * the build step can still tell whether the admin panel needs a rebuild.
 */
export const syncAppCopy = () => {
  fs.mkdirSync(APP_COPY_DIR, { recursive: true });

  for (const entry of COPIED) {
    const source = path.join(APP_DIR, entry);
    const target = path.join(APP_COPY_DIR, entry);
    if (!fs.existsSync(source)) {
      fs.rmSync(target, { recursive: true, force: true });
      continue;
    }

    if (fs.statSync(source).isFile()) {
      if (!sameContent(source, target)) fs.copyFileSync(source, target);
      continue;
    }

    fs.mkdirSync(target, { recursive: true });
    const sourceFiles = new Set(listFiles(source));
    for (const file of sourceFiles) {
      const to = path.join(target, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (!sameContent(path.join(source, file), to)) fs.copyFileSync(path.join(source, file), to);
    }
    for (const file of listFiles(target)) {
      if (!sourceFiles.has(file)) fs.rmSync(path.join(target, file));
    }
  }

  // The link is absolute, so a repository moved to another folder needs a new one.
  const pluginLink = path.join(COPY_ROOT, 'packages', 'cms-plugin');
  const linkTarget = fs.lstatSync(pluginLink, { throwIfNoEntry: false }) ? fs.readlinkSync(pluginLink) : null;
  if (linkTarget !== PLUGIN_DIR) {
    fs.rmSync(pluginLink, { force: true });
    fs.mkdirSync(path.dirname(pluginLink), { recursive: true });
    fs.symlinkSync(PLUGIN_DIR, pluginLink, 'dir');
  }

  return APP_COPY_DIR;
};
