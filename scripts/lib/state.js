'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const random = (bytes) => randomBytes(bytes).toString('base64');

/**
 * Strapi's own secrets for the demo, generated on the first run and reused afterwards, so nothing
 * secret is committed and sessions survive a restart. Names are Strapi's environment variables.
 */
function generateStrapiSecrets() {
  return {
    APP_KEYS: [random(16), random(16), random(16), random(16)].join(','),
    API_TOKEN_SALT: random(16),
    ADMIN_JWT_SECRET: random(16),
    TRANSFER_TOKEN_SALT: random(16),
    JWT_SECRET: random(16),
    ENCRYPTION_KEY: random(32),
  };
}

// Strapi's admin password rule: at least 8 characters with a lower-case letter, an upper-case letter
// and a digit. The fixed suffix guarantees all three whatever the random part contains.
function generateAdminPassword() {
  return `${randomBytes(12).toString('base64url')}Aa1`;
}

/**
 * The demo's local state file (`<demo dir>/state.json`, mode 0600, git-ignored): generated secrets,
 * tokens and keys, and which one-time steps (seeding, mapping import) are done.
 */
class DemoState {
  constructor(demoDir) {
    this.file = path.join(demoDir, 'state.json');
    this.data = {};
    if (fs.existsSync(this.file)) this.data = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    if (!this.data.strapi) this.data.strapi = generateStrapiSecrets();
    if (!this.data.admin) {
      this.data.admin = { email: 'admin@example.com', password: generateAdminPassword(), firstname: 'Demo', lastname: 'Admin' };
    }
    if (!this.data.done) this.data.done = {};
    this.save();
  }

  get(key) {
    return this.data[key];
  }

  set(key, value) {
    this.data[key] = value;
    this.save();
  }

  isDone(step) {
    return Boolean(this.data.done[step]);
  }

  markDone(step) {
    this.data.done[step] = new Date().toISOString();
    this.save();
  }

  save() {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, this.file);
  }
}

module.exports = { DemoState };
