import { guardedLookup } from '../../server/src/lib/url-policy';

// `localhost` resolves from the hosts file, so these lookups stay on this machine.
describe('delivery DNS lookup', () => {
  it('refuses a name that resolves to an internal address not listed', async () => {
    const error = await guardedLookup([])('localhost').then(() => null, (caught: any) => caught);
    expect(error?.code).toBe('ENDPOINT_URL_REJECTED');
    expect(error.message).toContain('localhost');
  });

  it('lets a listed host through', async () => {
    const [address] = await guardedLookup(['localhost'])('localhost');
    expect(['127.0.0.1', '::1']).toContain(address);
  });
});
