import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CliError, terraformCli } from '@prod-e/cli-kit';
import {
  accountResourceNames,
  COMMITTED_ENVIRONMENTS,
  MINIMUM_TERRAFORM_VERSION,
  resourceNames,
} from '@prod-e/deployment';
import { CommanderError } from 'commander';

import { checkPrerequisites } from './prerequisites';
import { parseArgs } from './terraform';

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fakeTerraformDir(version = MINIMUM_TERRAFORM_VERSION): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prod-e-path-'));
  created.push(dir);
  const file = path.join(dir, 'terraform');
  writeFileSync(file, `#!/bin/sh\necho '{"terraform_version":"${version}"}'\n`);
  chmodSync(file, 0o755);
  return dir;
}

const noCredentials = () =>
  Promise.reject(
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    }),
  );

describe('GIVEN the terraform prerequisites', () => {
  it('names a missing terraform and missing AWS credentials in one CliError sentence', async () => {
    const error = await checkPrerequisites('deploy prod-e', {
      env: { PATH: '/nonexistent' },
      callerIdentity: noCredentials,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(
      /^Cannot deploy prod-e: missing the terraform CLI \(not on PATH: .*\) and AWS credentials \(none found by the SDK provider chain, CredentialsProviderError: .*set AWS_PROFILE/,
    );
  });

  it('THEN with both present it reports the terraform path and account', async () => {
    const dir = fakeTerraformDir();
    await expect(
      checkPrerequisites('diff prod-e', {
        env: { PATH: dir },
        callerIdentity: () => Promise.resolve({ Account: '123456789012' }),
      }),
    ).resolves.toEqual({ terraform: path.join(dir, 'terraform'), account: '123456789012' });
  });

  it('asks for the same minimum terraform as the delivery scripts', async () => {
    const dir = fakeTerraformDir('1.5.7');
    const expected = await terraformCli(MINIMUM_TERRAFORM_VERSION, () =>
      Promise.resolve({
        exitCode: 0,
        notFound: false,
        stdout: '{"terraform_version":"1.5.7"}',
      }),
    ).check();

    await expect(
      checkPrerequisites('deploy prod-e', {
        env: { PATH: dir },
        callerIdentity: () => Promise.resolve({ Account: '123456789012' }),
      }),
    ).rejects.toThrow(`Cannot deploy prod-e: missing ${expected}.`);
    expect(expected).toContain(`Terraform ${MINIMUM_TERRAFORM_VERSION} or newer (found 1.5.7`);
  });

  it('THEN the stack defaults to the environment service stack and --stack overrides it', () => {
    expect(parseArgs(['deploy'], {})).toMatchObject({
      command: 'deploy',
      stack: resourceNames('prod').stack,
      passThrough: [],
    });
    expect(parseArgs(['diff'], { PROD_E_ENVIRONMENT: 'staging' }).stack).toBe(
      resourceNames('staging').stack,
    );
    expect(parseArgs(['diff', '--stack', 'prod-e-bootstrap', '-auto-approve'], {})).toMatchObject({
      stack: 'prod-e-bootstrap',
      passThrough: ['-auto-approve'],
    });
    expect(parseArgs(['diff', '--stack=prod-e-bootstrap'], {}).stack).toBe('prod-e-bootstrap');
    const staging = COMMITTED_ENVIRONMENTS.staging;
    expect(parseArgs(['deploy', '--bootstrap'], { PROD_E_ENVIRONMENT: 'staging' })).toMatchObject({
      stack: accountResourceNames(staging.accountId!, staging.region!).bootstrapStack,
      region: staging.region,
    });
  });

  it("passes terraform's own flags through untouched", () => {
    expect(parseArgs(['diff', '-var=x=1', '--stack', 'a', '-target=aws_s3_bucket.b'], {})).toEqual(
      expect.objectContaining({ stack: 'a', passThrough: ['-var=x=1', '-target=aws_s3_bucket.b'] }),
    );
  });

  it('refuses a command it does not know through commander', () => {
    expect(() => parseArgs(['apply'], {})).toThrow(CommanderError);
  });

  it('errors when `deploy` runs without terraform on PATH: Error and exit 1', () => {
    const script = path.join(__dirname, 'terraform.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, 'deploy'], {
      cwd: path.resolve(__dirname, '..', '..', '..', '..'),
      env: { ...process.env, PATH: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      `Error: Cannot deploy prod-e: missing the terraform CLI (not on PATH: install Terraform ${MINIMUM_TERRAFORM_VERSION} or newer)`,
    );
  });
});
