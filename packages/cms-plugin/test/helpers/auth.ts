import request from 'supertest';
import type { Core } from '@strapi/strapi';

/** Registers the first (super) admin and returns its JWT. */
export async function registerSuperAdmin(strapi: Core.Strapi): Promise<string> {
  const response = await request(strapi.server.httpServer)
    .post('/admin/register-admin')
    .send({ firstname: 'Ada', lastname: 'Admin', email: 'ada@example.com', password: 'Secret-passw0rd' });
  if (response.status !== 200) throw new Error(`register-admin failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data.token;
}

/** Creates an admin with the built-in Editor role (no plugin permission) and returns its JWT. */
export async function editorToken(strapi: Core.Strapi): Promise<string> {
  const role = await strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } });
  await strapi.service('admin::user').create({
    email: 'eddie@example.com',
    firstname: 'Eddie',
    lastname: 'Editor',
    password: 'Secret-passw0rd',
    roles: [role.id],
    isActive: true,
    registrationToken: null,
  });
  const response = await request(strapi.server.httpServer).post('/admin/login').send({ email: 'eddie@example.com', password: 'Secret-passw0rd' });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data.token;
}

/** Creates an API token the way an administrator would, and returns the key sent as Bearer. */
export async function apiToken(strapi: Core.Strapi, name: string, type: 'read-only' | 'full-access' | 'custom', permissions: string[] = []): Promise<string> {
  const token = await strapi.service('admin::api-token').create({ name, description: `test token ${name}`, type, lifespan: null, ...(type === 'custom' ? { permissions } : {}) });
  return token.accessKey;
}
