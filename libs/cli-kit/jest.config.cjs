/** @type {import('jest').Config} */
module.exports = {
  displayName: 'cli-kit',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/libs/cli-kit',
};
