import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { workspaceRoot } from './workspace';

/**
 * What a reader of the repository cannot follow: files that are not in it, tracker numbers
 * without a link, and the name of a document instead of what a behaviour does. This file lists
 * the patterns, so it is the one file not checked.
 */
const FORBIDDEN: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'a path outside the repository', pattern: /\.\.\/shared\b/ },
  { what: 'a design document that is not in the repository', pattern: /\bDESIGN\.md\b/ },
  { what: 'an absolute machine path', pattern: /\/work\// },
  { what: 'an issue number', pattern: /\bissues? #?\d+/i },
  { what: 'a behaviour named after a document ("seed")', pattern: /seed/i },
];

/** Data, not prose: dependency metadata and recorded benchmark runs. */
const EXCLUDED = [
  /^package-lock\.json$/,
  /^bench\/results\//,
  /^tools\/workspace\/src\/self-contained\.spec\.ts$/,
];

/** Lines allowed to match, each for a stated reason. */
const ALLOWED: readonly { readonly path: string; readonly line: string; readonly why: string }[] = [
  {
    path: 'libs/health-contract/src/lib/endpoints.ts',
    line: "['seed', 'database'],",
    why: 'the old wiring name, kept only so the settings refuse it with an error naming the new one',
  },
];

/** Tracked files and new ones not yet ignored, so a violation fails before it is committed. */
function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((path) => path !== '' && !EXCLUDED.some((pattern) => pattern.test(path)));
}

function textOf(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(workspaceRoot, path));
  } catch {
    return undefined; // listed by git but deleted in the working tree
  }
  return bytes.includes(0) ? undefined : bytes.toString('utf8');
}

function findings(): string[] {
  const found: string[] = [];
  for (const path of repositoryFiles()) {
    const lines = textOf(path)?.split('\n') ?? [];
    lines.forEach((text, i) => {
      if (ALLOWED.some((allowed) => allowed.path === path && allowed.line === text.trim())) return;
      for (const { what, pattern } of FORBIDDEN) {
        if (pattern.test(text)) found.push(`${path}:${i + 1}: ${what}: ${text.trim()}`);
      }
    });
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('mentions no outside file, machine path, issue number or document-named behaviour', () => {
    expect(findings()).toEqual([]);
  });

  it('still has every allowed line, so no exception outlives its reason', () => {
    for (const { path, line } of ALLOWED) {
      const lines = (textOf(path) ?? '').split('\n').map((text) => text.trim());

      expect({ path, present: lines.includes(line) }).toEqual({ path, present: true });
    }
  });

  // Written in parts, so that no file of the repository holds what the guard forbids.
  it.each([
    [['see ../shared', 'reference/notes.md'].join('/')],
    [['as DESIGN', 'md says'].join('.')],
    [['cloned to ', 'work', 'main'].join('/')],
    [['fixed in issue', '12'].join(' ')],
    ['Issues #3 and #4'],
    ['the SEED value'],
  ])('catches %j', (text) => {
    expect(FORBIDDEN.some(({ pattern }) => pattern.test(text))).toBe(true);
  });
});
