import { ConfigError } from '@prod-e/api-config';
import { DEFAULT_RATE_LIMIT_MAX, DEFAULT_RATE_LIMIT_WINDOW_MS } from '@prod-e/api-config';
import { resourceNames, SERVICE_URL_OUTPUT } from '@prod-e/deployment';
import { API_PORT, METRICS_PORT } from '@prod-e/health-contract';

import { MANAGED_POLICY_IDS } from '../constructs/cloudfront-edge';
import { TLS_POLICY, XFF_HEADER_PROCESSING_MODE } from '../constructs/load-balancer';
import { ALB_GROUP_DESCRIPTION } from '../constructs/security-groups';
import { RATE_RULE_NAME, WAF_RATE_LIMIT, WAF_RATE_WINDOW_SECONDS } from '../constructs/waf';
import type { TerraformJson } from '../policy';
import { all, containerOf, only, type Synthesized, synthesize } from '../testing/synth';
import { TLS_VARIANTS } from '../validate/variants';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST } from './layers/network';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resource = Record<string, any>;

const outputOf = (json: TerraformJson, name: string) =>
  (json.output as Record<string, { value: string }>)[name].value;

const environmentOf = (json: TerraformJson) =>
  Object.fromEntries(
    (containerOf(json).environment as { name: string; value: string }[]).map((e) => [
      e.name,
      e.value,
    ]),
  );

/** `${type.name.attr}` of the one resource of a type, as Terraform JSON references it. */
function referenceTo(json: TerraformJson, type: string, attribute: string): string {
  const [name] = Object.keys(json.resource?.[type] ?? {});
  return `\${${type}.${name}.${attribute}}`;
}

/** The ingress rules of the security group with this name. */
function ingressTo(json: TerraformJson, groupName: string): Resource[] {
  const [id] = Object.entries(json.resource!.aws_security_group).find(
    ([, g]) => g.name === groupName,
  )!;
  return all(json, 'aws_vpc_security_group_ingress_rule').filter(
    (r) => r.security_group_id === `\${aws_security_group.${id}.id}`,
  );
}

function rateRule(acl: Resource): Resource | undefined {
  return (acl.rule as Resource[]).find((r) => r.name === RATE_RULE_NAME);
}

const stacks: Record<keyof typeof TLS_VARIANTS, Synthesized> = {} as never;
beforeAll(() => {
  for (const [mode, tls] of Object.entries(TLS_VARIANTS)) {
    stacks[mode as keyof typeof TLS_VARIANTS] = synthesize({ tls });
  }
});

describe('GIVEN prod settings that would serve plain HTTP to the internet', () => {
  it('THEN the synth is refused with a ConfigError naming the three HTTPS fixes', () => {
    const attempt = () => synthesize({ tls: { mode: 'http' } });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/tls: .*mode: 'domain'.*mode: 'certificate'.*mode: 'cloudfront'/s);
  });

  it('WHEN another environment says http explicitly THEN the ALB serves port 80, trusting one hop', () => {
    const { json } = synthesize({ environment: 'dev', imageTag: 'abc1234', tls: { mode: 'http' } });
    expect(all(json, 'aws_lb_listener')).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: 'HTTP',
        default_action: [expect.objectContaining({ type: 'forward' })],
      }),
    ]);
    expect(outputOf(json, SERVICE_URL_OUTPUT)).toMatch(/^http:\/\/\$\{aws_lb\./);
    expect(environmentOf(json).TRUSTED_PROXY_HOPS).toBe('1');
  });
});

describe('GIVEN TLS mode domain', () => {
  it('THEN a DNS-validated certificate, its validation record and an alias to the ALB are made', () => {
    const { json } = stacks.domain;
    expect(only(json, 'aws_acm_certificate')).toMatchObject({
      domain_name: 'api.example.com',
      validation_method: 'DNS',
    });
    const records = all(json, 'aws_route53_record');
    expect(records).toHaveLength(2);
    const validation = records.find((r) => r.type !== 'A')!;
    expect(validation).toMatchObject({ zone_id: TLS_VARIANTS.domain.hostedZoneId });
    expect(validation.name).toMatch(/domain_validation_options\)\.0\.resource_record_name\}$/);
    expect(validation.type).toMatch(/domain_validation_options\)\.0\.resource_record_type\}$/);
    expect(only(json, 'aws_acm_certificate_validation').validation_record_fqdns).toEqual([
      expect.stringMatching(/^\$\{aws_route53_record\.[\w-]+\.fqdn\}$/),
    ]);
    expect(records.find((r) => r.type === 'A')).toMatchObject({
      zone_id: TLS_VARIANTS.domain.hostedZoneId,
      name: 'api.example.com',
      alias: {
        name: referenceTo(json, 'aws_lb', 'dns_name'),
        zone_id: referenceTo(json, 'aws_lb', 'zone_id'),
      },
    });
  });

  it('THEN 443 serves the validated certificate with the TLS 1.3 policy and 80 redirects permanently', () => {
    const { json } = stacks.domain;
    const listeners = all(json, 'aws_lb_listener');
    expect(listeners.find((l) => l.port === 443)).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: TLS_POLICY,
      certificate_arn: referenceTo(json, 'aws_acm_certificate_validation', 'certificate_arn'),
    });
    expect(listeners.find((l) => l.port === 80)).toMatchObject({
      default_action: [
        { type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } },
      ],
    });
    expect(outputOf(json, SERVICE_URL_OUTPUT)).toBe('https://api.example.com');
  });
});

describe.each(['domain', 'certificate'] as const)(
  'GIVEN TLS mode %s (the ALB is the edge)',
  (mode) => {
    it('THEN the ALB is internet-facing on the public subnets, admitting 80 and 443 only', () => {
      const { json } = stacks[mode];
      const alb = only(json, 'aws_lb');
      expect(alb.internal).toBe(false);
      expect(alb.subnets.join()).toMatch(/public-subnet-0.*public-subnet-1/);
      const albIngress = ingressTo(json, resourceNames('prod').albSecurityGroup);
      expect(albIngress.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([
        [443, '0.0.0.0/0'],
        [80, '0.0.0.0/0'],
      ]);
      expect(all(json, 'aws_cloudfront_distribution')).toHaveLength(0);
    });

    it('THEN X-Forwarded-For is appended by the ALB and the API trusts exactly that one hop', () => {
      const { json } = stacks[mode];
      expect(only(json, 'aws_lb').xff_header_processing_mode).toBe(XFF_HEADER_PROCESSING_MODE);
      expect(XFF_HEADER_PROCESSING_MODE).toBe('append');
      expect(environmentOf(json).TRUSTED_PROXY_HOPS).toBe('1');
    });

    it('THEN the ALB web ACL carries the per-IP rate rule first, then the managed groups', () => {
      const { json } = stacks[mode];
      const acl = only(json, 'aws_wafv2_web_acl');
      expect(acl.scope).toBe('REGIONAL');
      expect(acl.rule[0]).toMatchObject({
        name: RATE_RULE_NAME,
        priority: 0,
        action: { block: {} },
        statement: {
          rate_based_statement: {
            limit: WAF_RATE_LIMIT,
            aggregate_key_type: 'IP',
            evaluation_window_sec: WAF_RATE_WINDOW_SECONDS,
          },
        },
      });
      expect(only(json, 'aws_wafv2_web_acl_association').resource_arn).toBe(
        referenceTo(json, 'aws_lb', 'arn'),
      );
    });
  },
);

describe('GIVEN TLS mode certificate', () => {
  it('THEN 443 serves the given certificate and the URL is the name it covers', () => {
    const { json } = stacks.certificate;
    expect(all(json, 'aws_lb_listener').find((l) => l.port === 443)).toMatchObject({
      certificate_arn: TLS_VARIANTS.certificate.certificateArn,
      ssl_policy: TLS_POLICY,
    });
    expect(all(json, 'aws_acm_certificate')).toHaveLength(0);
    expect(outputOf(json, SERVICE_URL_OUTPUT)).toBe('https://api.example.com');
  });

  it('WHEN no domain name is given THEN the URL is https:// and the ALB name', () => {
    const { json } = synthesize({
      tls: { mode: 'certificate', certificateArn: TLS_VARIANTS.certificate.certificateArn },
    });
    expect(outputOf(json, SERVICE_URL_OUTPUT)).toBe(
      `https://${referenceTo(json, 'aws_lb', 'dns_name')}`,
    );
  });
});

describe('GIVEN TLS mode cloudfront (the committed prod default)', () => {
  it('THEN the ALB is internal on the private subnets with one HTTP listener, and no HTTPS listener', () => {
    const { json } = stacks.cloudfront;
    const alb = only(json, 'aws_lb');
    expect(alb.internal).toBe(true);
    expect(alb.subnets.join()).toMatch(/private-subnet-0.*private-subnet-1/);
    expect(all(json, 'aws_lb_listener').map((l) => [l.port, l.protocol])).toEqual([[80, 'HTTP']]);
  });

  it('THEN the distribution reaches the ALB through a VPC origin, https-only, uncached, every header but Host forwarded', () => {
    const { json } = stacks.cloudfront;
    expect(only(json, 'aws_cloudfront_vpc_origin').vpc_origin_endpoint_config).toEqual([
      expect.objectContaining({
        name: resourceNames('prod').vpcOrigin,
        arn: referenceTo(json, 'aws_lb', 'arn'),
        http_port: 80,
        origin_protocol_policy: 'http-only',
      }),
    ]);
    const distribution = only(json, 'aws_cloudfront_distribution');
    expect(distribution.origin).toEqual([
      expect.objectContaining({
        domain_name: referenceTo(json, 'aws_lb', 'dns_name'),
        vpc_origin_config: { vpc_origin_id: referenceTo(json, 'aws_cloudfront_vpc_origin', 'id') },
      }),
    ]);
    expect(distribution.default_cache_behavior).toMatchObject({
      viewer_protocol_policy: 'https-only',
      cache_policy_id: MANAGED_POLICY_IDS.cachingDisabled,
      origin_request_policy_id: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
      allowed_methods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    });
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(outputOf(json, SERVICE_URL_OUTPUT)).toBe(
      `https://${referenceTo(json, 'aws_cloudfront_distribution', 'domain_name')}`,
    );
  });

  it('THEN the ALB security group admits port 80 from the CloudFront origin-facing prefix list only', () => {
    const { json } = stacks.cloudfront;
    const prefixList = Object.entries(
      (json.data as Record<string, Record<string, Resource>>).aws_ec2_managed_prefix_list,
    );
    expect(prefixList.map(([, p]) => p.name)).toEqual([CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST]);
    const toAlb = ingressTo(json, resourceNames('prod').albSecurityGroup);
    expect(toAlb).toEqual([
      expect.objectContaining({
        from_port: 80,
        to_port: 80,
        prefix_list_id: `\${data.aws_ec2_managed_prefix_list.${prefixList[0][0]}.id}`,
      }),
    ]);
    expect(toAlb[0]).not.toHaveProperty('cidr_ipv4');
  });

  it('THEN the API trusts two hops (CloudFront, then the ALB), both appending to X-Forwarded-For', () => {
    const { json } = stacks.cloudfront;
    expect(environmentOf(json).TRUSTED_PROXY_HOPS).toBe('2');
    expect(only(json, 'aws_lb').xff_header_processing_mode).toBe('append');
  });

  it('THEN WAF stays on the ALB, and the rate rule sits on the distribution’s us-east-1 web ACL, keyed on the viewer', () => {
    const { json } = stacks.cloudfront;
    const acls = all(json, 'aws_wafv2_web_acl');
    const regional = acls.find((a) => a.scope === 'REGIONAL')!;
    const edge = acls.find((a) => a.scope === 'CLOUDFRONT')!;
    // Behind CloudFront the ALB sees CloudFront's addresses: a per-IP rule there would throttle everyone.
    expect(rateRule(regional)).toBeUndefined();
    expect(only(json, 'aws_wafv2_web_acl_association').resource_arn).toBe(
      referenceTo(json, 'aws_lb', 'arn'),
    );
    expect(rateRule(edge)?.statement.rate_based_statement).toMatchObject({
      limit: WAF_RATE_LIMIT,
      aggregate_key_type: 'IP',
    });
    expect(edge.provider).toBe('aws.cloudfront_waf');
    const providers = (json.provider as Record<string, Resource[]>).aws;
    expect(providers.find((p) => p.alias === 'cloudfront_waf')).toMatchObject({
      region: 'us-east-1',
    });
    const [edgeId] = Object.entries(json.resource!.aws_wafv2_web_acl).find(
      ([, a]) => a.scope === 'CLOUDFRONT',
    )!;
    expect(only(json, 'aws_cloudfront_distribution').web_acl_id).toBe(
      `\${aws_wafv2_web_acl.${edgeId}.arn}`,
    );
  });

  it('WHEN WAF is off (a cost setting) THEN there is no web ACL and no us-east-1 provider', () => {
    const { json } = synthesize({ tls: { mode: 'cloudfront' }, wafEnabled: false });
    expect(all(json, 'aws_wafv2_web_acl')).toHaveLength(0);
    expect((json.provider as Record<string, Resource[]>).aws).toHaveLength(1);
    expect(only(json, 'aws_cloudfront_distribution').web_acl_id).toBeUndefined();
  });
});

describe.each(Object.keys(TLS_VARIANTS) as (keyof typeof TLS_VARIANTS)[])(
  'GIVEN TLS mode %s and the proxies in front of the tasks',
  (mode) => {
    it('THEN TRUSTED_PROXY_HOPS counts exactly the proxies the stack puts on the path', () => {
      const { json } = stacks[mode];
      const proxies = all(json, 'aws_lb').length + all(json, 'aws_cloudfront_distribution').length;
      expect(Number(environmentOf(json).TRUSTED_PROXY_HOPS)).toBe(proxies);
    });
  },
);

describe('GIVEN a switch between TLS modes', () => {
  it('THEN the ALB security group keeps one description, so the switch never replaces the fixed-name group', () => {
    const descriptions = Object.values(stacks).map(
      ({ json }) =>
        all(json, 'aws_security_group').find(
          (g) => g.name === resourceNames('prod').albSecurityGroup,
        )!.description,
    );
    expect(new Set(descriptions)).toEqual(new Set([ALB_GROUP_DESCRIPTION]));
  });
});

describe('GIVEN the WAF rate limit', () => {
  it('THEN it sits above what the API itself admits over the same window, so WAF only stops floods', () => {
    const apiAdmits =
      DEFAULT_RATE_LIMIT_MAX * ((WAF_RATE_WINDOW_SECONDS * 1000) / DEFAULT_RATE_LIMIT_WINDOW_MS);
    expect(WAF_RATE_LIMIT).toBeGreaterThan(apiAdmits);
    expect([60, 120, 300, 600]).toContain(WAF_RATE_WINDOW_SECONDS);
  });
});

describe.each(Object.keys(TLS_VARIANTS) as (keyof typeof TLS_VARIANTS)[])(
  'GIVEN TLS mode %s and the metrics port',
  (mode) => {
    it('THEN no listener or listener rule forwards it, and the old /metrics path rule is gone', () => {
      const { json } = stacks[mode];
      expect(all(json, 'aws_lb_listener').map((l) => l.port)).not.toContain(METRICS_PORT);
      expect(all(json, 'aws_lb_target_group').map((g) => g.port)).toEqual([API_PORT]);
      expect(all(json, 'aws_lb_listener_rule')).toHaveLength(0);
    });

    it('THEN no security group rule admits it unless scrape CIDRs are set', () => {
      const { json } = stacks[mode];
      const metrics = all(json, 'aws_vpc_security_group_ingress_rule').filter(
        (r) => r.from_port === METRICS_PORT,
      );
      expect(metrics).toEqual([]);
    });
  },
);

describe('GIVEN metrics scrape CIDRs inside the VPC', () => {
  it('THEN the task security group admits the metrics port from exactly those CIDRs', () => {
    const { json } = synthesize({ metricsScrapeCidrs: ['10.0.10.0/24'] });
    expect(
      ingressTo(json, resourceNames('prod').serviceSecurityGroup).filter(
        (r) => r.from_port === METRICS_PORT,
      ),
    ).toEqual([
      expect.objectContaining({
        cidr_ipv4: '10.0.10.0/24',
        to_port: METRICS_PORT,
      }),
    ]);
  });
});
