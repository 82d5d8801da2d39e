/** @type {import('jest').Config} */
module.exports = {
  displayName: 'config',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/libs/config',
};
