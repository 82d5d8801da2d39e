import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import ts from 'typescript';

import { workspaceRoot } from './workspace';

/** Longest function body the tools may hold: one screen. */
const MAX_FUNCTION_LINES = 80;

/** Tracked and new TypeScript files under `paths`, specs included. */
function sources(...paths: string[]): string[] {
  return execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...paths],
    { cwd: workspaceRoot, encoding: 'utf8' },
  )
    .split('\n')
    .filter((path) => path.endsWith('.ts'));
}

const isTestCode = (path: string) =>
  /\.spec\.ts$|\/test\/|\/jest\/|\/testing\.ts$|\/fake-[\w-]+\.ts$/.test(path);

/** The code the CLIs run: tools/* (but the workspace checks), the infra's CLIs and the bench's. */
function cliSources(): string[] {
  return sources('tools', 'apps/infra/src/cli', 'bench/src').filter(
    (path) => !path.startsWith('tools/workspace/') && !isTestCode(path),
  );
}

const read = (path: string) => readFileSync(join(workspaceRoot, path), 'utf8');

function matching(files: readonly string[], pattern: RegExp): string[] {
  return files.flatMap((path) =>
    read(path)
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
  );
}

/** Every function (declarations, methods, arrows) longer than `max` lines. */
function longFunctions(path: string, max: number): string[] {
  const file = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart()) + 1;
      if (lines > max) found.push(`${path}:${lineOf(node.getStart())}: ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('the CLIs share one toolkit (@prod-e/cli-kit)', () => {
  it('finds the CLI sources it checks', () => {
    expect(cliSources()).toEqual(
      expect.arrayContaining([
        'tools/ops/src/main.ts',
        'apps/infra/src/cli/terraform.ts',
        'bench/src/lib/options.ts',
      ]),
    );
  });

  it('is a leaf library: every project may use it without a cycle', () => {
    expect(matching(sources('libs/cli-kit'), /from '@prod-e\//)).toEqual([]);
  });

  it('declares no error class of its own beside CliError', () => {
    expect(matching(cliSources(), /class \w+ extends Error\b/)).toEqual([]);
  });

  it('parses arguments with commander only', () => {
    expect(
      matching(
        cliSources(),
        /\bparseArgs\b.*node:util|\butil\.parseArgs\b|process\.argv\.includes\(/,
      ),
    ).toEqual([]);
  });

  it('runs no test fixture in production', () => {
    expect(matching(cliSources(), /from '@prod-e\/[\w-]+\/testing'/)).toEqual([]);
  });

  it(`keeps every function of tools/ under ${MAX_FUNCTION_LINES} lines`, () => {
    const code = sources('tools', 'apps/infra/src/cli').filter((p) => !p.endsWith('.spec.ts'));

    expect(code.flatMap((path) => longFunctions(path, MAX_FUNCTION_LINES))).toEqual([]);
  });

  it.each([
    ['class DeliveryError extends Error {', /class \w+ extends Error\b/],
    ["import { parseArgs } from 'node:util';", /\bparseArgs\b.*node:util/],
    [
      "import { prodDeploymentInput } from '@prod-e/deployment/testing';",
      /from '@prod-e\/[\w-]+\/testing'/,
    ],
  ])('catches %j', (line, pattern) => {
    expect(pattern.test(line)).toBe(true);
  });
});
