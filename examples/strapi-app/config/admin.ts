// The fallbacks are for local development and tests only; production sets every variable.
export default ({ env }: { env: any }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'dev-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'dev-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'dev-transfer-token-salt') } },
  // Also encrypts the plugin's webhook secrets at rest.
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'dev-encryption-key-change-me') },
  flags: { nps: false, promoteEE: false },
});
