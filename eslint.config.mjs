import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/**
 * Module boundaries, written out per tag (nx-examples style):
 * - apps never import apps or tools; libs never import apps or tools; tools may use tools;
 * - infra and ops never import API code, only the shared libs;
 * - health-contract imports nothing internal; config may import it.
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
  {
    // Tests and their Jest config may use test tooling (the embedded PostgreSQL of tools/dev-db);
    // production code keeps the stricter constraints above.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/jest.config.cjs'],
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
