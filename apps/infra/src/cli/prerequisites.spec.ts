import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  accountResourceNames,
  COMMITTED_ENVIRONMENTS,
  MINIMUM_TERRAFORM_VERSION,
} from '@prod-e/deployment';

import { checkPrerequisites, findOnPath, PrerequisiteError } from './prerequisites';
import { parseArgs } from './terraform';

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fakeTerraformDir(version = '1.11.4'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prod-e-path-'));
  created.push(dir);
  const file = path.join(dir, 'terraform');
  writeFileSync(file, `#!/bin/sh\necho '{"terraform_version":"${version}"}'\n`);
  chmodSync(file, 0o755);
  return dir;
}

describe('GIVEN the deploy prerequisites', () => {
  it('THEN terraform is found on PATH when present', () => {
    const dir = fakeTerraformDir();
    expect(findOnPath('terraform', { PATH: `/nonexistent${path.delimiter}${dir}` })).toBe(
      path.join(dir, 'terraform'),
    );
    expect(findOnPath('terraform', { PATH: '/nonexistent' })).toBeUndefined();
  });

  it('errors when terraform is missing, before asking AWS anything', async () => {
    const callerIdentity = jest.fn();
    await expect(
      checkPrerequisites({ env: { PATH: '/nonexistent' }, callerIdentity }),
    ).rejects.toThrow(/^terraform was not found on PATH: install Terraform/);
    expect(callerIdentity).not.toHaveBeenCalled();
  });

  it('errors when AWS credentials are missing, in one sentence naming the fix', async () => {
    const error = await checkPrerequisites({
      env: { PATH: fakeTerraformDir() },
      callerIdentity: () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        ),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrerequisiteError);
    expect((error as Error).message).toMatch(
      /^No usable AWS credentials \(CredentialsProviderError: .*\): set AWS_PROFILE/,
    );
  });

  it('THEN with both present it reports the terraform path and account', async () => {
    const dir = fakeTerraformDir();
    await expect(
      checkPrerequisites({
        env: { PATH: dir },
        callerIdentity: async () => ({ Account: '123456789012' }),
      }),
    ).resolves.toEqual({ terraform: path.join(dir, 'terraform'), account: '123456789012' });
  });

  it('errors when terraform is older than the minimum every stack requires', async () => {
    const dir = fakeTerraformDir('1.5.7');
    await expect(
      checkPrerequisites({
        env: { PATH: dir },
        callerIdentity: () => Promise.reject(new Error('must not be asked')),
      }),
    ).rejects.toThrow(
      `terraform 1.5.7 at ${path.join(dir, 'terraform')} is older than ${MINIMUM_TERRAFORM_VERSION}`,
    );
  });

  it('THEN the stack defaults to the environment service stack and --stack overrides it', () => {
    expect(parseArgs([], {})).toEqual({ stack: 'prod-e', passThrough: [] });
    expect(parseArgs([], { PROD_E_ENVIRONMENT: 'staging' }).stack).toBe('prod-e-staging');
    expect(parseArgs(['--stack', 'prod-e-bootstrap', '-auto-approve'], {})).toEqual({
      stack: 'prod-e-bootstrap',
      passThrough: ['-auto-approve'],
    });
    expect(parseArgs(['--stack=prod-e-bootstrap'], {}).stack).toBe('prod-e-bootstrap');
    const staging = COMMITTED_ENVIRONMENTS.staging;
    expect(parseArgs(['--bootstrap'], { PROD_E_ENVIRONMENT: 'staging' }).stack).toBe(
      accountResourceNames(staging.accountId!, staging.region!).bootstrapStack,
    );
  });

  it('errors when `deploy` runs without terraform on PATH: one message, exit 1', () => {
    const script = path.join(__dirname, 'terraform.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, 'deploy'], {
      cwd: path.resolve(__dirname, '..', '..', '..', '..'),
      env: { ...process.env, PATH: '/nonexistent' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `terraform was not found on PATH: install Terraform ≥ ${MINIMUM_TERRAFORM_VERSION} (https://developer.hashicorp.com/terraform/install) and try again.`,
    );
  });
});
