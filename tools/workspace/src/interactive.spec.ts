import { execFileSync } from 'node:child_process';

import { developerNxEnv, runInTerminal } from '@prod-e/dev-db/testing';

import { workspaceRoot as WORKSPACE_ROOT } from './workspace';

const gitStatus = () =>
  execFileSync('git', ['status', '--porcelain'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' });

describe('an interactive nx command (a terminal, not CI)', () => {
  it('asks nothing and writes no tracked file', async () => {
    // Arrange
    const env = await developerNxEnv();
    const before = gitStatus();

    // Act
    const nx = runInTerminal('npx nx show projects', { cwd: WORKSPACE_ROOT, env });
    const code = await nx.exited(120_000);

    // Assert
    expect(code).toBe(0);
    expect(nx.output()).toContain('dev-server');
    expect(nx.output()).not.toContain('Share usage data');
    expect(gitStatus()).toBe(before);
  });
});
