'use strict';

const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');

const paths = {
  repoRoot,
  sharedSchema: path.join(repoRoot, 'packages', 'shared-schema'),
  cmsPlugin: path.join(repoRoot, 'packages', 'cms-plugin'),
  connector: path.join(repoRoot, 'packages', 'lms-connector'),
  strapiApp: path.join(repoRoot, 'examples', 'strapi-app'),
  data: path.join(repoRoot, 'examples', 'data'),
  connectorBin: path.join(repoRoot, 'packages', 'lms-connector', 'bin', 'skill-connector.js'),
  strapiBin: path.join(repoRoot, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'),
};

module.exports = { paths };
