export default ({ env }: { env: any }) => ({
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'dev-users-permissions-jwt-secret') },
  },
  'skill-mapping': {
    enabled: true,
    // Relative to the app root: the plugin package of this repository.
    resolve: '../../packages/cms-plugin',
    config: {
      // Loopback receivers over plain http are fine on a developer machine.
      allowedHosts: env.array('SKILL_MAPPING_ALLOWED_HOSTS', ['127.0.0.1', 'localhost', '::1']),
    },
  },
});
