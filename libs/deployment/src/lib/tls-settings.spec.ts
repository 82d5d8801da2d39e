import { ConfigError } from '@prod-e/api-config';

import { COMMITTED_ENVIRONMENTS } from './environment-settings';
import { loadDeploymentSettings } from './deployment-settings';
import { prodDeploymentInput, TEST_IMAGE_TAG } from '../testing';
import { edgeProxyHops, HTTPS_FIXES, type TlsSettings } from './tls-settings';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

function problemsOf(input: Parameters<typeof loadDeploymentSettings>[0]) {
  try {
    loadDeploymentSettings(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('GIVEN the TLS setting', () => {
  it('WHEN prod asks for plain HTTP THEN a ConfigError names the tls key and all three fixes', () => {
    const attempt = () => loadDeploymentSettings({ ...prodDeploymentInput, tls: { mode: 'http' } });
    expect(attempt).toThrow(ConfigError);
    const [problem] = problemsOf({ ...prodDeploymentInput, tls: { mode: 'http' } });
    expect(problem.key).toBe('tls');
    for (const mode of ['domain', 'certificate', 'cloudfront']) {
      expect(problem.message).toContain(`mode: '${mode}'`);
    }
    expect(HTTPS_FIXES).toHaveLength(3);
  });

  it('WHEN another environment says plain HTTP explicitly THEN it is allowed', () => {
    expect(loadDeploymentSettings({ environment: 'dev', tls: { mode: 'http' } }).tls).toEqual({
      mode: 'http',
    });
  });

  it('WHEN unset THEN every environment gets CloudFront HTTPS, never plain HTTP', () => {
    expect(loadDeploymentSettings({ environment: 'staging' }).tls).toEqual({ mode: 'cloudfront' });
    const { tls: _omitted, ...withoutTls } = prodDeploymentInput as typeof prodDeploymentInput & {
      tls?: unknown;
    };
    expect(loadDeploymentSettings(withoutTls).tls.mode).toBe('cloudfront');
  });

  it('THEN committed prod serves HTTPS and only dev opts into plain HTTP', () => {
    const modes = Object.fromEntries(
      Object.entries(COMMITTED_ENVIRONMENTS).map(([name, input]) => [
        name,
        loadDeploymentSettings({ ...input, imageTag: TEST_IMAGE_TAG }).tls.mode,
      ]),
    );
    expect(modes).toEqual({ prod: 'cloudfront', staging: 'cloudfront', dev: 'http' });
  });

  it('WHEN a mode lacks or mistypes its keys THEN each bad key is named under tls', () => {
    expect(problemsOf({ ...prodDeploymentInput, tls: { mode: 'domain' } as never })).toEqual([
      expect.objectContaining({ key: 'tls.domainName' }),
      expect.objectContaining({ key: 'tls.hostedZoneId' }),
    ]);
    expect(
      problemsOf({
        ...prodDeploymentInput,
        tls: { mode: 'certificate', certificateArn: 'arn:aws:iam::1:role/x' },
      }).map((p) => p.key),
    ).toEqual(['tls.certificateArn']);
    expect(
      problemsOf({ ...prodDeploymentInput, tls: { mode: 'tunnel' } as never }).map((p) => p.key),
    ).toEqual(['tls.mode']);
  });

  it('WHEN the old top-level certificateArn is set THEN the error says where it moved', () => {
    const problems = problemsOf({ ...prodDeploymentInput, certificateArn: CERTIFICATE } as never);
    expect(problems).toEqual([
      { key: 'certificateArn', message: expect.stringContaining("mode: 'certificate'") },
    ]);
  });

  it('THEN the proxies that append to X-Forwarded-For are one ALB, plus CloudFront in front of it', () => {
    const hops = (tls: TlsSettings) => edgeProxyHops(tls);
    expect(hops({ mode: 'http' })).toBe(1);
    expect(hops({ mode: 'certificate', certificateArn: CERTIFICATE })).toBe(1);
    expect(hops({ mode: 'domain', domainName: 'api.example.com', hostedZoneId: 'Z123' })).toBe(1);
    expect(hops({ mode: 'cloudfront' })).toBe(2);
  });
});

describe('GIVEN albIngressCidrs', () => {
  it('WHEN narrowed behind CloudFront, where they cannot apply, THEN they are refused rather than ignored', () => {
    const albIngressCidrs = ['203.0.113.0/24'];
    expect(problemsOf({ ...prodDeploymentInput, albIngressCidrs }).map((p) => p.key)).toEqual([
      'albIngressCidrs',
    ]);
    expect(
      problemsOf({
        ...prodDeploymentInput,
        albIngressCidrs,
        tls: { mode: 'certificate', certificateArn: CERTIFICATE },
      }),
    ).toEqual([]);
  });
});

describe('GIVEN metrics scrape CIDRs', () => {
  it('WHEN one lies outside the VPC THEN it is refused by index', () => {
    expect(
      problemsOf({
        ...prodDeploymentInput,
        metricsScrapeCidrs: ['10.0.10.0/24', '203.0.113.0/24'],
      }).map((p) => p.key),
    ).toEqual(['metricsScrapeCidrs.1']);
  });
});
