import type { LmsAdapter } from './types';

/**
 * Adapter for deployments where the LMS reads the connector's own pull contract, so there is nothing to
 * push: every task completes at once.
 */
export function createNoneAdapter(): LmsAdapter {
  return {
    name: 'none',
    async run() {
      // The connector state written by the apply transaction is already what the LMS reads.
    },
    async probe() {},
  };
}
