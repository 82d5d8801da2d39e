import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // In specs a wrong `!` fails the test on the spot, which is what an assertion would do.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
