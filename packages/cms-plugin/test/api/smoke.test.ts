import { bootStrapi, type BootedStrapi } from '../helpers/strapi';

let booted: BootedStrapi;

beforeAll(async () => {
  booted = await bootStrapi('smoke');
});

afterAll(async () => {
  await booted?.close();
});

it('boots with the plugin', async () => {
  expect(booted.strapi.plugin('skill-mapping')).toBeDefined();
  const doc = await booted.strapi.documents('api::course.course' as any).create({ data: { title: 'Hello' } } as any);
  expect(doc.documentId).toBeTruthy();
});
