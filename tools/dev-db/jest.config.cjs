/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dev-db',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/dev-db',
  // initdb plus a server start take a few seconds on a shared 2-core machine; the Nx
  // lifecycle specs add Nx's own start-up and an API build. Every wait inside is bounded.
  testTimeout: 120_000,
};
