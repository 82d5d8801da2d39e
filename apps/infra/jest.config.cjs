/** @type {import('jest').Config} */
module.exports = {
  displayName: 'infra',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/apps/infra',
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  // Full-stack synths take a second or two each on a shared 2-core machine.
  testTimeout: 30_000,
};
