/** @type {import('jest').Config} */
module.exports = {
  displayName: 'delivery',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/delivery',
  // The artifact spec replays the image build, installs production dependencies from the
  // registry and starts PostgreSQL; the CLI specs start real processes.
  testTimeout: 60_000,
};
