// Shared Jest settings. @swc/jest compiles TypeScript (with decorator metadata for Nest's DI)
// and also the ESM-only packages of NestJS 12, Terminus 12 and fastify's light-my-request,
// which Jest on Node 20 can only load once they are turned into CommonJS.
const esmOnlyPackages = [
  '@nestjs',
  '@fastify/static',
  'content-disposition',
  'cookie',
  'light-my-request',
  'nestjs-pino',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  '@tokenizer',
  'uint8array-extras',
  'ora',
  'chalk',
  'cli-cursor',
  'restore-cursor',
  'cli-spinners',
  'log-symbols',
  'is-unicode-supported',
  'is-interactive',
  'stdin-discarder',
  'string-width',
  'strip-ansi',
  'ansi-regex',
  'get-east-asian-width',
  'emoji-regex',
  'onetime',
  'mimic-function',
  'signal-exit',
  'yoctocolors',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['**/?(*.)+(spec|test|e2e-spec).ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  coverageReporters: ['text-summary', 'html'],
};
