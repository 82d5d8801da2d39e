const {
  embeddedPostgresModuleNameMapper,
  transformIgnorePatternsWith,
} = require('./jest.esm-packages.cjs');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dev-db',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/tools/dev-db',
  transformIgnorePatterns: transformIgnorePatternsWith(),
  moduleNameMapper: embeddedPostgresModuleNameMapper,
  // initdb plus a server start take a few seconds on a shared 2-core machine.
  testTimeout: 60_000,
};
