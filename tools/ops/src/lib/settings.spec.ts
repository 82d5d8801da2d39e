import {
  COMMITTED_ENVIRONMENTS,
  committedSettingsFile,
  deploymentSettingsFromEnv,
  ENVIRONMENT_VARIABLE,
  PRIMARY_ENVIRONMENT,
  resourceNames,
} from '@prod-e/deployment';

import { OpsError } from './errors';
import {
  DEFAULT_CALL_TIMEOUT_SECONDS,
  durationMs,
  parseOptions,
  REGION_VARIABLE,
  resolveTarget,
  targetOptionsSchema,
} from './settings';

const target = (raw: Record<string, unknown>, env: Record<string, string | undefined> = {}) =>
  resolveTarget(parseOptions(targetOptionsSchema, raw), env);

describe('resolveTarget', () => {
  it('defaults to the primary environment in its committed region, with its names', () => {
    const resolved = target({});

    expect(resolved).toMatchObject({
      environment: PRIMARY_ENVIRONMENT,
      region: COMMITTED_ENVIRONMENTS[PRIMARY_ENVIRONMENT].region,
      callTimeoutMs: DEFAULT_CALL_TIMEOUT_SECONDS * 1000,
    });
    expect(resolved.names).toEqual(resourceNames(PRIMARY_ENVIRONMENT));
  });

  it('looks where the infra deploys: the region its synth reads, whatever AWS_REGION says', () => {
    const env = { AWS_REGION: 'eu-north-1' };
    const synthesized = deploymentSettingsFromEnv({
      ...env,
      PROD_E_ENVIRONMENT: 'staging',
      PROD_E_IMAGE_TAG: 'v1',
    });

    expect(target({ env: 'staging' }, env).region).toBe(synthesized.region);
    expect(target({ region: 'eu-west-1' }, env).region).toBe('eu-west-1');
  });

  it('refuses the region setting variable, as the infra does, instead of looking elsewhere', () => {
    expect(() => deploymentSettingsFromEnv({ [REGION_VARIABLE]: 'eu-central-1' })).toThrow(
      new RegExp(`${REGION_VARIABLE}: is not read`),
    );
    expect(() => target({}, { [REGION_VARIABLE]: 'eu-central-1' })).toThrow(
      new OpsError(
        'USAGE',
        `${REGION_VARIABLE} is not read: the region is committed in ${committedSettingsFile(PRIMARY_ENVIRONMENT)}.`,
      ),
    );
  });

  it('takes the environment from PROD_E_ENVIRONMENT when --env is not given, as the infra does', () => {
    const env = { [ENVIRONMENT_VARIABLE]: 'staging' };

    expect(target({}, env).names).toEqual(resourceNames('staging'));
    expect(target({ env: 'dev' }, env).environment).toBe('dev');
  });

  it('names an environment that is not committed as a bad --env', () => {
    expect(() => target({ env: 'nowhere' })).toThrow(
      /^Invalid option: --env "nowhere" is not committed/,
    );
  });

  it('derives the names of other environments through libs/deployment', () => {
    expect(target({ env: 'staging' }).names).toEqual(resourceNames('staging'));
  });

  it('ignores deploy-only settings such as the missing prod image tag', () => {
    expect(() => target({}, { PROD_E_DESIRED_COUNT: 'lots' })).not.toThrow();
  });

  it('names a bad region', () => {
    expect(() => target({ region: 'mars' })).toThrow(
      new OpsError('USAGE', 'Invalid option: --region must be an AWS region such as us-west-2.'),
    );
  });
});

describe('durationMs', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['45', 45_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(durationMs.parse(text)).toBe(ms);
  });

  it('rejects anything else', () => {
    expect(durationMs.safeParse('1 week').success).toBe(false);
  });
});
