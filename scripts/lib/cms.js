'use strict';

const { DemoError } = require('./errors');

/** Sends a JSON request and returns `{ status, body }`; network errors reject. */
async function requestJson(url, { method = 'GET', token, body } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body: parsed };
}

function describe(response) {
  const error = response.body && response.body.error;
  if (error) return `${response.status} ${error.name || ''} ${error.message || ''}`.trim();
  return `${response.status} ${JSON.stringify(response.body).slice(0, 200)}`;
}

/**
 * Client for the Strapi admin API, signed in as the demo's first admin user. The first run registers
 * that user (`POST /admin/register-admin` only works while no admin exists); later runs log in.
 */
class CmsAdmin {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.jwt = null;
  }

  async signIn(admin) {
    const init = await requestJson(`${this.baseUrl}/admin/init`);
    const hasAdmin = init.body && init.body.data && init.body.data.hasAdmin;

    const response = hasAdmin
      ? await requestJson(`${this.baseUrl}/admin/login`, { method: 'POST', body: { email: admin.email, password: admin.password } })
      : await requestJson(`${this.baseUrl}/admin/register-admin`, { method: 'POST', body: admin });

    if (response.status !== 200 && response.status !== 201) {
      const hint = hasAdmin
        ? 'the CMS database has an admin whose password is not the one in the demo state; run `npm start -- --fresh` to reset the demo'
        : 'check the CMS log';
      throw new DemoError('ADMIN_SIGN_IN_FAILED', `Signing in as ${admin.email} failed (${describe(response)}); ${hint}.`);
    }
    this.jwt = response.body.data.token;
    return { registered: !hasAdmin };
  }

  async request(method, path, body) {
    return requestJson(`${this.baseUrl}${path}`, { method, token: this.jwt, body });
  }

  /** Creates an API token and returns its access key (Strapi shows it once). */
  async createApiToken({ name, description, type }) {
    const response = await this.request('POST', '/admin/api-tokens', { name, description, type, lifespan: null, permissions: [] });
    if (response.status !== 201 && response.status !== 200) {
      throw new DemoError('API_TOKEN_FAILED', `Creating the API token "${name}" failed (${describe(response)}); see the CMS log.`);
    }
    return response.body.data.accessKey;
  }

  /** Returns true when `token` is accepted by the content API (it may have been deleted in the admin). */
  async apiTokenWorks(token, path) {
    const response = await requestJson(`${this.baseUrl}${path}`, { token });
    return response.status < 400;
  }

  async listEndpoints() {
    const response = await this.request('GET', '/skill-mapping/endpoints');
    if (response.status !== 200) {
      throw new DemoError('ENDPOINT_LIST_FAILED', `Listing webhook endpoints failed (${describe(response)}); is the skill-mapping plugin enabled?`);
    }
    const body = response.body.data || response.body;
    return Array.isArray(body) ? body : body.results || [];
  }

  /** Creates a webhook endpoint and returns it with its secret (shown once). */
  async createEndpoint(endpoint) {
    const response = await this.request('POST', '/skill-mapping/endpoints', endpoint);
    if (response.status !== 201 && response.status !== 200) {
      throw new DemoError('ENDPOINT_CREATE_FAILED', `Creating the webhook endpoint ${endpoint.url} failed (${describe(response)}); see the CMS log.`);
    }
    const result = response.body.data || response.body;
    return { endpoint: result.endpoint || result, secret: result.secret };
  }

  async deleteEndpoint(id) {
    await this.request('DELETE', `/skill-mapping/endpoints/${id}`);
  }
}

module.exports = { CmsAdmin, requestJson };
