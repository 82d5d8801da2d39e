/** @type {import('jest').Config} */
module.exports = {
  displayName: 'deployment',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/libs/deployment',
};
