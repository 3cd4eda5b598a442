'use strict';

// Starts the compiled app without the admin panel: one Strapi process of a cluster sharing one
// database. Build first (`npm run build -w @skill-mapping/strapi-plugin` and a compile).
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');

createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false })
  .start()
  .catch((error) => {
    console.error(`Strapi failed to start: ${error.message}`);
    process.exit(1);
  });
