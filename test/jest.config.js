// End-to-end suites: each one starts real processes (Strapi and the connector) on 127.0.0.1, so they
// run one at a time and get generous timeouts; the global setup builds once for the whole run.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.test.js', '<rootDir>/docs/**/*.test.js'],
  testEnvironment: 'node',
  // The Moodle suite imports the connector's Moodle test double, which is TypeScript.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', target: 'es2022', esModuleInterop: true, types: ['node'] }, diagnostics: false }],
  },
  globalSetup: '<rootDir>/helpers/global-setup.js',
  maxWorkers: 1,
  testTimeout: 300_000,
  slowTestThreshold: 120,
};
