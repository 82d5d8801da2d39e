const postgres = require('@prod-e/dev-db/jest');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'delivery',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/delivery',
  // The artifact spec replays the image build, installs production dependencies from the
  // registry and starts PostgreSQL; the CLI specs start real processes.
  testTimeout: 60_000,
  // One throwaway PostgreSQL for the run, from tools/dev-db (TEST_DATABASE_URL wins when set).
  globalSetup: postgres.globalSetup,
  globalTeardown: postgres.globalTeardown,
};
