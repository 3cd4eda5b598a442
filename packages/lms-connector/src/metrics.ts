import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Event timestamp (set by the CMS) to applied, in seconds. */
  timeToSync: Histogram<string>;
  /** result: accepted | duplicate | applied | stale | rejected | invalid | failed | test */
  events: Counter<'result'>;
  inboxDepth: Gauge<string>;
  reconcileFailures: Counter<string>;
  lmsCalls: Counter<'function' | 'result'>;
}

/**
 * Creates the connector's metrics in a registry of their own, so several app instances (tests) never
 * share counters. `inboxDepth` is read from the database on each scrape through `readInboxDepth`.
 */
export function createMetrics(readInboxDepth: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  return {
    registry,
    timeToSync: new Histogram({
      name: 'skill_sync_time_to_sync_seconds',
      help: 'Seconds from an event timestamp to its application in the connector.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    }),
    events: new Counter({
      name: 'skill_events_total',
      help: 'Events received and applied, by result.',
      labelNames: ['result'],
      registers: [registry],
    }),
    inboxDepth: new Gauge({
      name: 'skill_inbox_depth',
      help: 'Inbox rows waiting to be applied.',
      registers: [registry],
      async collect() {
        try {
          this.set(await readInboxDepth());
        } catch {
          // A scrape during a database outage reports the last value; /readyz reports the outage.
        }
      },
    }),
    reconcileFailures: new Counter({
      name: 'skill_reconcile_failures_total',
      help: 'Reconciliation runs that ended with an error.',
      registers: [registry],
    }),
    lmsCalls: new Counter({
      name: 'skill_lms_calls_total',
      help: 'Calls to the LMS made by the adapter, by function and result.',
      labelNames: ['function', 'result'],
      registers: [registry],
    }),
  };
}
