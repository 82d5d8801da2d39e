/** @type {import('jest').Config} */
module.exports = {
  displayName: 'health-contract',
  preset: '../../jest.preset.cjs',
  coverageDirectory: '../../coverage/libs/health-contract',
};
