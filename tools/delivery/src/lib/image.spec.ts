import { ConfigError } from '@prod-e/api-config';
import {
  COMMITTED_ENVIRONMENTS,
  deploymentSettingsFromEnv,
  resourceNames,
} from '@prod-e/deployment';

import type { Exec, ExecResult } from './exec';
import {
  assertReleasable,
  deliverySettings,
  localImage,
  registryImage,
  resolveImageTag,
} from './image';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function fakeGit(status: string, headExit = 0): Exec {
  const ok = (stdout: string): ExecResult => ({
    exitCode: 0,
    notFound: false,
    stdout,
    stderr: '',
  });
  return (_file, args) => {
    if (args[0] === 'rev-parse')
      return Promise.resolve(headExit === 0 ? ok(`${SHA}\n`) : { ...ok(''), exitCode: headExit });
    return Promise.resolve(ok(status));
  };
}

describe('resolveImageTag', () => {
  it('uses PROD_E_IMAGE_TAG when set (CI passes the commit it checked out)', async () => {
    await expect(
      resolveImageTag({ PROD_E_IMAGE_TAG: 'abc123' }, fakeGit(' M x'), '/repo'),
    ).resolves.toBe('abc123');
  });

  it('uses the commit SHA of a clean work tree', async () => {
    await expect(resolveImageTag({}, fakeGit(''), '/repo')).resolves.toBe(SHA);
  });

  it('marks a build of uncommitted changes -dirty', async () => {
    await expect(resolveImageTag({}, fakeGit(' M apps/api/src/main.ts\n'), '/repo')).resolves.toBe(
      `${SHA}-dirty`,
    );
  });

  it('errors with the fix when there is no commit', async () => {
    await expect(resolveImageTag({}, fakeGit('', 128), '/repo')).rejects.toThrow(
      /set PROD_E_IMAGE_TAG/,
    );
  });
});

describe('release rules', () => {
  it('refuses latest for prod through the shared settings loader', () => {
    expect(() => deliverySettings({}, 'prod', 'latest')).toThrow(ConfigError);
    expect(() => deliverySettings({}, 'prod', 'latest')).toThrow(/imageTag/);
  });

  it('refuses every PROD_E_* override the infra refuses, naming each', () => {
    const attempt = () =>
      deliverySettings({ PROD_E_DESIRED_COUNT: 'many', PROD_E_REGION: 'eu-west-1' }, 'prod', SHA);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PROD_E_DESIRED_COUNT: is not read[\s\S]*PROD_E_REGION: is not read/);
  });

  it('refuses to release a dirty build to prod but lets other environments try one', () => {
    expect(() => assertReleasable(deliverySettings({}, 'prod', `${SHA}-dirty`))).toThrow(
      /uncommitted changes/,
    );
    expect(() => assertReleasable(deliverySettings({}, 'staging', `${SHA}-dirty`))).not.toThrow();
    expect(() => assertReleasable(deliverySettings({}, 'prod', SHA))).not.toThrow();
  });

  it('reads the settings the infra synthesizes: the committed region, whatever AWS_REGION says', () => {
    const env = { AWS_REGION: 'eu-west-1' };
    const settings = deliverySettings(env, 'staging', SHA);

    expect(settings).toEqual(
      deploymentSettingsFromEnv({ ...env, PROD_E_ENVIRONMENT: 'staging', PROD_E_IMAGE_TAG: SHA }),
    );
    expect(settings.region).toBe(COMMITTED_ENVIRONMENTS.staging.region);
  });
});

describe('image names', () => {
  it('names the image after the environment ECR repository', () => {
    const repository = resourceNames('prod').ecrRepository;
    expect(localImage('prod', SHA)).toBe(`${repository}:${SHA}`);
    expect(registryImage('1.dkr.ecr.us-west-2.amazonaws.com', 'prod', SHA)).toBe(
      `1.dkr.ecr.us-west-2.amazonaws.com/${repository}:${SHA}`,
    );
    expect(localImage('staging', SHA)).not.toBe(localImage('prod', SHA));
  });
});
