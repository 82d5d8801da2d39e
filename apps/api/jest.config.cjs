// The API's specs run against a real PostgreSQL: tools/dev-db starts one embedded server per
// test run (globalSetup/globalTeardown; TEST_DATABASE_URL wins when set), and its test
// environment starts private servers for the fault specs that stop and start them. Referenced
// here, in CommonJS config, because apps may not import tools from source (module boundaries).

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/apps/api',
  globalSetup: '<rootDir>/../../tools/dev-db/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/dev-db/src/jest/global-teardown.ts',
  testEnvironment: '<rootDir>/../../tools/dev-db/src/jest/environment.ts',
  testTimeout: 60_000,
};
