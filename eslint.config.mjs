import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries, written out per tag (nx-examples style):
 * - apps never import apps or tools; libs never import apps or tools; tools may use tools;
 * - infra and ops never import API code, only the shared libs;
 * - health-contract imports nothing internal; api-config may import it; deployment may import both.
 */
export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  // Tools may reuse other tools (the embedded PostgreSQL of tools/dev-db); scopes still apply.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared'] },
  // Deployment settings and resource names are for what deploys and operates the service, never
  // for the API itself: a resource-name change must not mark the API affected.
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared', 'scope:deploy'] },
  { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:shared', 'scope:deploy'] },
  { sourceTag: 'scope:deploy', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

const TS_FILES = ['**/*.ts'];
const TEST_FILES = ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/tmp', '**/cdktf.out', '**/coverage', '**/node_modules', '.nx'],
  },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // Type-aware rules: promises that are neither awaited nor handled, async functions passed where
  // a callback's result is ignored, values that are not what their types claim.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TS_FILES })),
  {
    files: TS_FILES,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read synthesized Terraform JSON, HTTP bodies and mock calls as `any` on purpose, and
    // pass jest matchers methods; the promise rules stay on for them.
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // A screenful per function in production code: long wiring is split into named builders.
    files: TS_FILES,
    ignores: TEST_FILES,
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
  {
    // Tests and their Jest config may use test tooling (the embedded PostgreSQL of tools/dev-db);
    // production code keeps the stricter constraints above.
    files: [...TEST_FILES, '**/jest.config.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            ...depConstraints.filter((constraint) => constraint.sourceTag !== 'type:app'),
          ],
        },
      ],
    },
  },
  {
    // CommonJS config files (jest.config.cjs, webpack.config.cjs) use require by design.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
];
