import type { Core } from '@strapi/strapi';
import { getWorker, registerWorker } from './services/worker-registry';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getWorker(strapi)?.stop();
  registerWorker(strapi, null);
};
