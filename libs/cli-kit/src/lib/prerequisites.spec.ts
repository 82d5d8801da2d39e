import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CliError } from './cli-error';
import {
  awsCredentials,
  dockerEngine,
  findOnPath,
  meetsMinimum,
  parseToolVersion,
  requirePrerequisites,
  type RunTool,
  terraformCli,
  type ToolRun,
  toolRunner,
} from './prerequisites';

const MINIMUM = '1.11.0';

const result = (exitCode: number, notFound = false, stdout = ''): ToolRun => ({
  exitCode,
  notFound,
  stdout,
});
const runReturning =
  (byFile: Record<string, ToolRun>): RunTool =>
  (file) =>
    Promise.resolve(byFile[file]);
const terraformJson = (version: string) =>
  result(0, false, JSON.stringify({ terraform_version: version, platform: 'linux_amd64' }));

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function binDir(name: string, script: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-kit-path-'));
  created.push(dir);
  writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(dir, name), 0o755);
  return dir;
}

describe('prerequisites', () => {
  it('resolves when everything is there', async () => {
    const run = runReturning({ docker: result(0), terraform: terraformJson('1.11.4') });

    await expect(
      requirePrerequisites('deploy', [
        dockerEngine(run),
        terraformCli(MINIMUM, run),
        awsCredentials(() => Promise.resolve({})),
      ]),
    ).resolves.toBeUndefined();
  });

  it('tells a missing docker CLI from an engine that is not running', async () => {
    await expect(
      dockerEngine(runReturning({ docker: result(127, true) })).check(),
    ).resolves.toMatch(/^the docker CLI \(not on PATH/);
    await expect(dockerEngine(runReturning({ docker: result(1) })).check()).resolves.toMatch(
      /^a running Docker engine \(`docker info` failed/,
    );
  });

  it('asks for the minimum terraform: missing, failing and too old are each named', async () => {
    const check = (answer: ToolRun) => terraformCli(MINIMUM, runReturning({ terraform: answer }));

    await expect(check(result(127, true)).check()).resolves.toBe(
      `the terraform CLI (not on PATH: install Terraform ${MINIMUM} or newer)`,
    );
    await expect(check(result(1)).check()).resolves.toMatch(/^a working terraform CLI/);
    await expect(check(terraformJson('1.5.7')).check()).resolves.toBe(
      `Terraform ${MINIMUM} or newer (found 1.5.7: upgrade it)`,
    );
    await expect(check(terraformJson(MINIMUM)).check()).resolves.toBeUndefined();
  });

  it('names every missing prerequisite in one CliError sentence', async () => {
    const run = runReturning({ docker: result(1), terraform: result(127, true) });
    const noCredentials = () =>
      Promise.reject(
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      );

    const failure = requirePrerequisites('deploy prod', [
      dockerEngine(run),
      terraformCli(MINIMUM, run),
      awsCredentials(noCredentials),
    ]);

    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(
      /^Cannot deploy prod: missing a running Docker engine \(.*\), the terraform CLI \(.*\) and AWS credentials \(none found by the SDK provider chain, CredentialsProviderError: .*\)\.$/,
    );
  });
});

describe('tools on PATH', () => {
  it('finds an executable on PATH, and nothing where it is not', () => {
    const dir = binDir('terraform', 'exit 0');

    expect(findOnPath('terraform', { PATH: `/nonexistent${path.delimiter}${dir}` })).toBe(
      path.join(dir, 'terraform'),
    );
    expect(findOnPath('terraform', { PATH: '/nonexistent' })).toBeUndefined();
  });

  it('runs the real program on the PATH it is given, and reports a missing one', async () => {
    const dir = binDir('terraform', `echo '{"terraform_version":"1.11.4"}'`);

    await expect(terraformCli(MINIMUM, toolRunner({ PATH: dir })).check()).resolves.toBeUndefined();
    await expect(
      terraformCli(MINIMUM, toolRunner({ PATH: '/nonexistent' })).check(),
    ).resolves.toMatch(/^the terraform CLI \(not on PATH/);
  });

  it('reads versions from JSON or text and compares them part by part', () => {
    expect(parseToolVersion('{"terraform_version":"1.11.4"}')).toBe('1.11.4');
    expect(parseToolVersion('Terraform v1.12.0\non linux_amd64')).toBe('1.12.0');
    expect(meetsMinimum('1.11.0', '1.11.0')).toBe(true);
    expect(meetsMinimum('1.9.9', '1.11.0')).toBe(false);
    expect(meetsMinimum('2.0.0', '1.11.0')).toBe(true);
  });
});
