import { adminApi, createAdminUser, grantLocales, login, registerFirstAdmin } from './support/admin-api.mjs';
import { startStrapi } from './support/strapi.mjs';

const app = await startStrapi();
try {
  const token = await registerFirstAdmin(app.url, { firstname: 'A', lastname: 'B', email: 'a@example.com', password: 'Explore-1234' });
  const api = adminApi(app.url, token);
  await grantLocales(app.url, token, { roleCode: 'strapi-editor', subject: 'api::course.course', locales: ['en'] });
  await createAdminUser(app.url, token, { email: 'e@example.com', password: 'Explore-5678', roleCode: 'strapi-editor' });
  const fs = await import('node:fs');
  const lines = fs.readFileSync('/work/main/examples/data/skills_subset_200.csv', 'utf8').split('\n');
  console.log(JSON.stringify(await api.ok('POST', '/skill-mapping/skills/import', { format: 'csv', content: lines.slice(0, 3).join('\n') })));
  const tag = { skill_id: 'ccd0a1d9-afda-43d9-b901-96344886e14d', skill_name: 'x', confidence: 1, proficiency: 'expert', source: 'editor' };
  const created = await api.ok('POST', '/content-manager/collection-types/api::course.course?locale=en', { title: 'T1', skill_tags: [tag] });
  const id = created.data.documentId;
  console.log('publish', (await api.request('POST', `/content-manager/collection-types/api::course.course/${id}/actions/publish?locale=en`, { title: 'T1', skill_tags: [tag] })).status);
  const editor = adminApi(app.url, await login(app.url, 'e@example.com', 'Explore-5678'));
  const roles = await api.ok('GET', '/admin/roles');
  const role = roles.data.find((r) => r.code === 'strapi-editor');
  const perms = await api.ok('GET', `/admin/roles/${role.id}/permissions`);
  console.log(JSON.stringify(perms.data.filter((p) => p.subject === 'api::course.course').map((p) => [p.action, p.properties.locales])));
  for (const [q, body] of [['?locale=en', { title: 'T2' }], ['', { title: 'T3', locale: 'en' }], ['?locale=en', { title: 'T4', skill_tags: [] }]]) {
    const r = await editor.request('PUT', `/content-manager/collection-types/api::course.course/${id}${q}`, body);
    console.log(q, JSON.stringify(body), r.status, JSON.stringify(r.body).slice(0, 300));
  }
  const r = await editor.request('GET', `/content-manager/collection-types/api::course.course/${id}?locale=en`);
  console.log('GET', r.status);
} finally {
  await app.stop();
}
