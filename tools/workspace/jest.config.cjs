/** @type {import('jest').Config} */
module.exports = {
  displayName: 'workspace',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/workspace',
  // These specs run the Nx CLI and ESLint over the whole workspace.
  testTimeout: 120_000,
};
