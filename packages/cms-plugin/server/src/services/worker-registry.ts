import type { Core } from '@strapi/strapi';
import type { DeliveryWorker } from './worker';

const workers = new WeakMap<Core.Strapi, DeliveryWorker>();

export function registerWorker(strapi: Core.Strapi, worker: DeliveryWorker | null): void {
  if (worker) workers.set(strapi, worker);
  else workers.delete(strapi);
}

export function getWorker(strapi: Core.Strapi): DeliveryWorker | undefined {
  return workers.get(strapi);
}

/** Starts a delivery round right away; called from the commit hook of a transaction that queued events. */
export function wakeWorker(strapi: Core.Strapi): void {
  workers.get(strapi)?.wake();
}
