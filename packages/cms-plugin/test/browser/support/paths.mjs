import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const PLUGIN_DIR = path.resolve(here, '..', '..', '..');
export const REPO_DIR = path.resolve(PLUGIN_DIR, '..', '..');
export const APP_DIR = path.join(REPO_DIR, 'examples', 'strapi-app');
export const ARTIFACTS_DIR = path.join(REPO_DIR, 'test', 'artifacts');
export const STRAPI_BIN = path.join(REPO_DIR, 'node_modules', '.bin', 'strapi');
export const SKILLS_CSV = path.join(REPO_DIR, 'examples', 'data', 'skills.csv');
