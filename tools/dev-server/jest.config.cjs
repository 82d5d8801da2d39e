/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dev-server',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/dev-server',
  // These specs run `nx serve api` itself: Nx's start-up, a development build and PostgreSQL's
  // initdb on a shared 2-core machine. Every wait inside is bounded and names what it waited for.
  testTimeout: 180_000,
};
