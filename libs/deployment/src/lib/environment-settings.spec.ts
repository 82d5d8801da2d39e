import { readdirSync } from 'node:fs';
import path from 'node:path';

import { TEST_IMAGE_TAG } from '../testing';
import { ConfigError } from '@prod-e/api-config';
import { loadDeploymentSettings } from './deployment-settings';
import {
  COMMITTED_ENVIRONMENTS,
  committedSettingsFile,
  deploymentSettingsFromEnv,
} from './environment-settings';

describe('GIVEN the committed environment settings', () => {
  it.each(Object.entries(COMMITTED_ENVIRONMENTS))(
    'THEN %s is valid, named after its file, and has the account its state and bootstrap need',
    (name, input) => {
      const settings = loadDeploymentSettings({ ...input, imageTag: TEST_IMAGE_TAG });
      expect(settings.environment).toBe(name);
      expect(settings.accountId).toMatch(/^\d{12}$/);
    },
  );

  it('THEN every file in environments/ is registered', () => {
    const files = readdirSync(path.join(__dirname, '..', 'environments')).map((f) =>
      path.basename(f, '.ts'),
    );
    expect(files.sort()).toEqual(Object.keys(COMMITTED_ENVIRONMENTS).sort());
    for (const name of files) {
      expect(committedSettingsFile(name)).toBe(`libs/deployment/src/environments/${name}.ts`);
    }
  });

  it('THEN prod is highly available by default: one NAT gateway per zone, Multi-AZ, ECS Exec off', () => {
    const settings = loadDeploymentSettings({
      ...COMMITTED_ENVIRONMENTS.prod,
      imageTag: TEST_IMAGE_TAG,
    });
    expect(settings).toMatchObject({
      natGatewayPerAz: true,
      databaseMultiAz: true,
      enableExecuteCommand: false,
    });
    const staging = loadDeploymentSettings({ ...COMMITTED_ENVIRONMENTS.staging });
    expect(staging.natGatewayPerAz).toBe(false);
  });
});

describe('GIVEN deployment settings from the environment', () => {
  it('THEN only the image tag changes a committed environment', () => {
    const settings = deploymentSettingsFromEnv({
      PROD_E_ENVIRONMENT: 'staging',
      PROD_E_IMAGE_TAG: 'v1.2.3',
      PROD_E_TF_PROVIDER_MIRROR: '/mirror',
      AWS_REGION: 'eu-west-1',
    });
    expect(settings).toEqual(
      loadDeploymentSettings({ ...COMMITTED_ENVIRONMENTS.staging, imageTag: 'v1.2.3' }),
    );
  });

  it('errors when another PROD_E_* variable is set, naming each', () => {
    const attempt = () =>
      deploymentSettingsFromEnv({ PROD_E_DESIRED_COUNT: '3', PROD_E_REGION: 'eu-west-1' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PROD_E_DESIRED_COUNT: is not read[\s\S]*PROD_E_REGION: is not read/);
  });
});
