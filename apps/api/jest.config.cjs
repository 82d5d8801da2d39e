// The API's specs run against a real PostgreSQL, from tools/dev-db's Jest entry point (a
// devDependency: test code may use test tooling, production code may not; see eslint.config.mjs).
const postgres = require('@prod-e/dev-db/jest');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/apps/api',
  ...postgres,
  testTimeout: 60_000,
};
