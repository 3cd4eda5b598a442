import { adminApi, registerFirstAdmin } from './support/admin-api.mjs';
import { launchBrowser, loginInBrowser } from './support/browser.mjs';
import { startStrapi } from './support/strapi.mjs';

const app = await startStrapi();
const browser = await launchBrowser();
try {
  const token = await registerFirstAdmin(app.url, { firstname: 'A', lastname: 'B', email: 'a@example.com', password: 'Explore-1234' });
  const api = adminApi(app.url, token);
  const page = await browser.context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') console.log('console:', msg.text().slice(0, 300)); });
  await loginInBrowser(page, app.url, 'a@example.com', 'Explore-1234');
  const created = await api.ok('POST', '/content-manager/collection-types/api::course.course?locale=en', { title: 'T1' });
  await page.goto(`${app.url}/admin/content-manager/collection-types/api::course.course/${created.data.documentId}?plugins[i18n][locale]=en`);
  await page.getByTestId('skill-tags-field').waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/explore/course.png', fullPage: true });
  await page.goto(`${app.url}/admin/plugins/skill-mapping/deliveries`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/explore/deliveries.png', fullPage: true });
  await page.goto(`${app.url}/admin/settings/skill-mapping/endpoints`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/explore/settings.png', fullPage: true });
  await page.goto(`${app.url}/admin/plugins/skill-mapping/audit`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/explore/audit.png', fullPage: true });
} finally {
  await browser.close();
  await app.stop();
}
