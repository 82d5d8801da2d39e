/** @type {import('jest').Config} */
module.exports = {
  displayName: 'ops',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/ops',
  // Matchers from aws-sdk-client-mock-jest, and quiet SDK version notices.
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // The bin spec starts real child processes (tsx compiles on first run).
  testTimeout: 60_000,
};
