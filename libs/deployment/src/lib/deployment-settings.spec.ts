import { HEALTH_CHECK_WIRINGS, RENAMED_HEALTH_CHECK_WIRINGS } from '@prod-e/health-contract';

import { prodDeploymentInput } from '../testing';
import { ConfigError } from '@prod-e/api-config';
import { loadDeploymentSettings } from './deployment-settings';

function problemKeys(input: Parameters<typeof loadDeploymentSettings>[0]): string[] {
  try {
    loadDeploymentSettings(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.key);
    throw error;
  }
  throw new Error('expected loadDeploymentSettings to throw');
}

describe('loadDeploymentSettings', () => {
  it('gives prod the base task size and its production defaults', () => {
    const settings = loadDeploymentSettings(prodDeploymentInput);

    expect(settings).toMatchObject({
      environment: 'prod',
      region: 'us-west-2',
      vpcCidr: '10.0.0.0/16',
      availabilityZones: ['us-west-2a', 'us-west-2b'],
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      healthCheckWiring: 'liveness',
      databaseMultiAz: true,
      deletionProtection: true,
      wafEnabled: true,
      logRetentionDays: 365,
      stateBackend: 's3',
    });
  });

  it('gives other environments cheaper defaults', () => {
    const settings = loadDeploymentSettings({ environment: 'staging' });

    expect(settings).toMatchObject({
      databaseMultiAz: false,
      deletionProtection: false,
      wafEnabled: false,
      logRetentionDays: 14,
      imageTag: 'latest',
      maxCount: 2,
    });
  });

  it('refuses latest as the prod image tag', () => {
    expect(problemKeys({ environment: 'prod' })).toEqual(['imageTag']);
  });

  it('refuses a CPU/memory pair Fargate does not offer', () => {
    expect(problemKeys({ ...prodDeploymentInput, cpu: 256, memory: 4096 })).toEqual(['memory']);
  });

  it('reports every bad key at once', () => {
    const keys = problemKeys({
      environment: 'Prod_1',
      region: 'mars',
      alarmEmail: 'nobody',
      tls: { mode: 'certificate', certificateArn: 'arn:aws:iam::123:role/x' },
      healthCheckWiring: 'deep' as never,
      logRetentionDays: 10,
      vpcCidr: '10.0.0.0/33',
    });

    expect(keys.sort()).toEqual(
      [
        'alarmEmail',
        'tls.certificateArn',
        'environment',
        'healthCheckWiring',
        'logRetentionDays',
        'region',
        'vpcCidr',
      ].sort(),
    );
  });

  it('refuses a renamed health check wiring with an error that names its new value', () => {
    const [[oldName, newName]] = [...RENAMED_HEALTH_CHECK_WIRINGS];

    expect(newName).toBe('database');
    expect(() =>
      loadDeploymentSettings({ ...prodDeploymentInput, healthCheckWiring: oldName as never }),
    ).toThrow(
      `healthCheckWiring: must be liveness or database: '${oldName}' is now called 'database'`,
    );
  });

  it('accepts both current wirings', () => {
    for (const healthCheckWiring of HEALTH_CHECK_WIRINGS) {
      expect(loadDeploymentSettings({ ...prodDeploymentInput, healthCheckWiring })).toMatchObject({
        healthCheckWiring,
      });
    }
  });

  it('rejects unknown keys so typos do not pass silently', () => {
    expect(problemKeys({ ...prodDeploymentInput, desiredCuont: 2 } as never)).toEqual(['(root)']);
  });

  it('checks counts, zones and subnets against each other', () => {
    const keys = problemKeys({
      environment: 'dev',
      desiredCount: 5,
      maxCount: 3,
      minCount: 6,
      availabilityZones: ['eu-west-1a', 'eu-west-1a'],
      privateSubnetCidrs: ['10.1.0.0/24', '10.0.0.0/24'],
    });

    expect(keys).toEqual([
      'minCount',
      'maxCount',
      'availabilityZones.0',
      'availabilityZones.1',
      'availabilityZones',
      'privateSubnetCidrs.0',
      'privateSubnetCidrs.1',
    ]);
  });
});
