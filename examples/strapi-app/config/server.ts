export default ({ env }: { env: any }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: {
    // Development keys; set APP_KEYS in any shared or production deployment.
    keys: env.array('APP_KEYS', ['dev-app-key-one', 'dev-app-key-two']),
  },
  logger: { updates: { enabled: false } },
});
