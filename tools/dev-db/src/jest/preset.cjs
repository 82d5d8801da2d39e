// The Jest options that give a project's specs a real PostgreSQL: one embedded server per test
// run (globalSetup/globalTeardown; TEST_DATABASE_URL wins when set) and a test environment that
// starts private servers for the fault specs that stop and start them. A project spreads these into
// its jest.config.cjs through this package's `./jest` entry point, never by relative path.

/** @type {Pick<import('jest').Config, 'globalSetup' | 'globalTeardown' | 'testEnvironment'>} */
module.exports = {
  globalSetup: require.resolve('./global-setup.ts'),
  globalTeardown: require.resolve('./global-teardown.ts'),
  testEnvironment: require.resolve('./environment.ts'),
};
