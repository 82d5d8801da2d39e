/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api-config',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/libs/api-config',
};
