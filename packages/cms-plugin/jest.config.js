/** Suites boot a real Strapi each; they run one at a time to stay within two cores and one SQLite writer. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  // Browser tests have their own runner and need a built admin.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  testTimeout: 120_000,
  maxWorkers: 1,
  // A booted Strapi can leave a pool timer behind after destroy(); without this one CI run hung
  // for ten minutes after every test had passed.
  forceExit: true,
};
