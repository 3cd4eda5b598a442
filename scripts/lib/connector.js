'use strict';

const { DemoError } = require('./errors');
const { paths } = require('./paths');
const { runCommand } = require('./processes');

/**
 * Runs one `skill-connector` command against the demo's connector database and returns its output.
 * `env` is the same environment `serve` gets, so every command uses the same database.
 */
async function connectorCli(args, env) {
  try {
    return await runCommand(process.execPath, [paths.connectorBin, ...args], { cwd: paths.repoRoot, env });
  } catch (error) {
    throw new DemoError('CONNECTOR_COMMAND_FAILED', `\`skill-connector ${args.join(' ')}\` failed: ${error.message}`);
  }
}

/** Creates a connector API key with `scope` and returns it; the CLI prints it once. */
async function createConnectorKey(env, { name, scope }) {
  const { stdout } = await connectorCli(['keys', 'create', '--name', name, '--scope', scope], env);
  const match = /skc_[A-Za-z0-9_-]+/.exec(stdout);
  if (!match) {
    throw new DemoError('CONNECTOR_KEY_MISSING', '`skill-connector keys create` printed no key; check the connector version.');
  }
  return match[0];
}

module.exports = { connectorCli, createConnectorKey };
