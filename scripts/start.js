#!/usr/bin/env node
'use strict';

// `npm start`: builds what is missing, then runs the example Strapi app with the skill-mapping plugin
// and the connector on 127.0.0.1 until Ctrl-C. Plain Node.js so it needs no build step of its own.

const path = require('node:path');
const { DemoError } = require('./lib/errors');
const { DemoStack, optionsFromEnv, PULL_PATH } = require('./lib/stack');

const HELP = `Usage: npm start [-- --fresh] [-- --no-build]

Runs the skill-mapping demo: the example Strapi app with the plugin, and the connector, on 127.0.0.1.
The first run builds the packages and the admin panel, generates secrets, seeds the ESCO catalog and
the courses, and creates an admin user; later runs reuse all of it.

Options:
  --fresh     delete the demo data (databases, secrets, tokens, logs) before starting
  --no-build  do not build; fail with the missing build's name instead
  --help      print this help

Environment:
  SKILL_MAPPING_CMS_PORT        Strapi port (default 1337)
  SKILL_MAPPING_CONNECTOR_PORT  connector port (default 4000)
  SKILL_MAPPING_DEMO_DIR        folder for the demo data and logs (default .demo)
`;

function log(line) {
  process.stdout.write(`${line}\n`);
}

function printSummary(stack) {
  const credentials = stack.credentials;
  const relative = (file) => {
    const shown = path.relative(process.cwd(), file);
    return shown.startsWith('..') ? file : shown;
  };
  const lines = [
    '',
    'skill-mapping demo is running. Ctrl-C stops it.',
    '',
    `  Admin panel         ${credentials.cms_url}/admin`,
    `  Admin email         ${credentials.admin_email}`,
    `  Admin password      ${credentials.admin_password}`,
    `  CMS API token       ${credentials.cms_api_token}`,
    `  CMS pull feed       ${credentials.cms_url}${PULL_PATH}/content/changes`,
    `  Connector health    ${credentials.connector_url}/healthz`,
    `  Connector metrics   ${credentials.connector_url}/metrics`,
    `  Connector pull feed ${credentials.connector_url}/content/changes`,
    `  Connector key       ${credentials.connector_key}  (scope admin)`,
    `  Webhook secret      ${credentials.webhook_secret}`,
    '',
    `  The same values are in ${relative(path.join(stack.demoDir, 'credentials.json'))}; logs are in ${relative(stack.logDir)}.`,
    '  Both pull feeds take the token or key as "Authorization: Bearer <value>".',
    '',
  ];
  log(lines.join('\n'));
}

async function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    log(HELP);
    return 0;
  }
  const unknown = argv.filter((arg) => !['--fresh', '--no-build'].includes(arg));
  if (unknown.length > 0) {
    throw new DemoError('ARGUMENT_UNKNOWN', `Unknown option ${unknown[0]}; run \`npm start -- --help\` for the options.`);
  }

  const stack = new DemoStack({ ...optionsFromEnv(), build: !argv.includes('--no-build'), log });
  let stopping = null;
  const stop = (signal) => {
    if (stopping) return stopping;
    log(`\nstopping (${signal})...`);
    stopping = stack.stop().then(() => log('stopped'));
    return stopping;
  };

  const done = new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(signal, () => stop(signal).then(() => resolve(signal === 'SIGINT' ? 0 : 128 + 15)));
    }
  });

  if (argv.includes('--fresh')) {
    stack.reset();
    log(`demo data in ${stack.demoDir} deleted`);
  }

  try {
    await stack.start();
  } catch (error) {
    if (stopping) return done;
    await stack.stop();
    throw error;
  }
  if (stopping) return done;
  printSummary(stack);

  // A service that dies on its own takes the demo down, so the terminal never shows a half-running stack.
  const crashed = Promise.race([stack.cms.exited, stack.connector.exited]).then(async () => {
    if (stopping) return done;
    const service = stack.cms.running ? stack.connector : stack.cms;
    process.stderr.write(`${service.name} exited with ${service.exitCode}; see ${service.logFile}. Stopping the demo.\n`);
    await stop('service exit');
    return 1;
  });
  return Promise.race([done, crashed]);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof DemoError) {
      process.stderr.write(`npm start: ${error.message}\n`);
    } else {
      process.stderr.write(`npm start: unexpected failure: ${error.stack || error}\n`);
    }
    process.exit(1);
  },
);
