import { OpsError } from './errors';
import { durationMs, parseOptions, resolveTarget, targetOptionsSchema } from './settings';

const target = (raw: Record<string, unknown>, env: Record<string, string | undefined> = {}) =>
  resolveTarget(parseOptions(targetOptionsSchema, raw), env);

describe('resolveTarget', () => {
  it('defaults to prod in us-west-2 with its unqualified names', () => {
    const resolved = target({});

    expect(resolved).toMatchObject({
      environment: 'prod',
      region: 'us-west-2',
      callTimeoutMs: 20_000,
    });
    expect(resolved.names.cluster).toBe('prod-e-cluster');
  });

  it('takes the region from --region, then PROD_E_REGION, then AWS_REGION', () => {
    expect(target({ region: 'eu-west-1' }, { AWS_REGION: 'us-east-1' }).region).toBe('eu-west-1');
    expect(target({}, { PROD_E_REGION: 'eu-central-1', AWS_REGION: 'us-east-1' }).region).toBe(
      'eu-central-1',
    );
    expect(target({}, { AWS_REGION: 'us-east-1' }).region).toBe('us-east-1');
  });

  it('derives other environments through libs/api-config', () => {
    expect(target({ env: 'staging' }).names.service).toBe('prod-e-staging-service');
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
