import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { workspaceRoot } from './workspace';

interface LintResult {
  messages: { ruleId: string | null; message: string; fatal?: boolean }[];
}

/**
 * The workspace's own ESLint config without type information: the linted text stands for a file
 * that does not exist, which TypeScript's project service cannot type-check (and the boundary rule
 * needs no types). typescript-eslint's `disableTypeChecked` is made for exactly this.
 */
let configDir: string;
let untypedConfig: string;

beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'prod-e-boundaries-'));
  untypedConfig = join(configDir, 'eslint.config.mjs');
  const url = (path: string) => pathToFileURL(path).href;
  const tseslint = require.resolve('typescript-eslint', { paths: [workspaceRoot] });
  writeFileSync(
    untypedConfig,
    `import workspace from '${url(join(workspaceRoot, 'eslint.config.mjs'))}';\n` +
      `import tseslint from '${url(tseslint)}';\n` +
      'export default [...workspace, tseslint.configs.disableTypeChecked, ' +
      `{ languageOptions: { parserOptions: { tsconfigRootDir: ${JSON.stringify(workspaceRoot)} } } }];\n`,
  );
});

afterAll(() => rmSync(configDir, { recursive: true, force: true }));

/**
 * Lints source text as if it were a file at `path`, with the workspace's own ESLint config, the way
 * `nx lint` does. ESLint runs in a child process: it loads the flat config with a dynamic import,
 * which Jest's module sandbox does not allow.
 */
function boundaryErrors(path: string, source: string): string[] {
  const eslint = spawnSync(
    process.execPath,
    [
      join(workspaceRoot, 'node_modules/eslint/bin/eslint.js'),
      '--config',
      untypedConfig,
      '--stdin',
      '--stdin-filename',
      path,
      '--format',
      'json',
    ],
    {
      cwd: workspaceRoot,
      input: source,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    },
  );
  const [result] = JSON.parse(eslint.stdout) as LintResult[];
  // A file ESLint could not parse has no rule messages at all: that must fail, not pass.
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries (nx lint)', () => {
  // Apps export nothing, so a violation reaches into their files through the workspace package.
  it('fails a library that imports an app', () => {
    const errors = boundaryErrors(
      'libs/api-config/src/lib/violation.ts',
      "import { AppModule } from '@prod-e/api/src/app/app.module';\nexport const x = AppModule;\n",
    );

    expect(errors).toEqual([
      expect.stringMatching(/Imports of apps are forbidden|Circular dependency/),
    ]);
  });

  it('fails the infrastructure app when it imports API code', () => {
    const errors = boundaryErrors(
      'apps/infra/src/violation.ts',
      "import { AppModule } from '@prod-e/api/src/app/app.module';\nexport const x = AppModule;\n",
    );

    expect(errors).toEqual(['Imports of apps are forbidden']);
  });

  it('fails a library that imports a tool', () => {
    const errors = boundaryErrors(
      'libs/health-contract/src/lib/violation.ts',
      "import { startDevDb } from '@prod-e/dev-db';\nexport const x = startDevDb;\n",
    );

    expect(errors).toEqual([
      'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"',
    ]);
  });

  it('fails the API when it imports the deployment settings', () => {
    const errors = boundaryErrors(
      'apps/api/src/violation.ts',
      "import { resourceNames } from '@prod-e/deployment';\nexport const x = resourceNames;\n",
    );

    expect(errors).toEqual([
      'A project tagged with "scope:api" can only depend on libs tagged with "scope:shared"',
    ]);
  });

  it('fails a shared library that imports the deployment settings', () => {
    const errors = boundaryErrors(
      'libs/api-config/src/lib/violation.ts',
      "import { resourceNames } from '@prod-e/deployment';\nexport const x = resourceNames;\n",
    );

    expect(errors).toEqual([
      expect.stringMatching(
        /can only depend on libs tagged with "scope:shared"|Circular dependency/,
      ),
    ]);
  });

  it('fails API production code that imports test tooling', () => {
    const errors = boundaryErrors(
      'apps/api/src/violation.ts',
      "import { hasTerminal } from '@prod-e/dev-db/testing';\nexport const x = hasTerminal;\n",
    );

    expect(errors).toEqual([
      'A project tagged with "type:app" can only depend on libs tagged with "type:lib"',
    ]);
  });

  it("lets the API's tests and Jest config use the embedded PostgreSQL of tools/dev-db", () => {
    for (const path of ['apps/api/test/allowed.e2e-spec.ts', 'apps/api/jest.config.cjs']) {
      const errors = boundaryErrors(
        path,
        "const postgres = require('@prod-e/dev-db/jest');\nmodule.exports = { ...postgres };\n",
      );

      expect({ path, errors }).toEqual({ path, errors: [] });
    }
  });

  it('lets the API import the shared libraries', () => {
    const errors = boundaryErrors(
      'apps/api/src/allowed.ts',
      "import { loadApiConfig } from '@prod-e/api-config';\nimport { API_PORT } from '@prod-e/health-contract';\nexport const x = [loadApiConfig, API_PORT];\n",
    );

    expect(errors).toEqual([]);
  });
});
