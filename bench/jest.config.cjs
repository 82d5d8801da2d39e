/** @type {import('jest').Config} */
module.exports = {
  displayName: 'bench',
  preset: '../jest.preset.cjs',
  coverageDirectory: '../coverage/bench',
  // Unit tests of the runner's pure parts only; the benchmark itself is `nx run bench:run`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/baseline/', '<rootDir>/floor/'],
};
