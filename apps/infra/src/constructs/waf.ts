import { DEFAULT_RATE_LIMIT_MAX, DEFAULT_RATE_LIMIT_WINDOW_MS } from '@prod-e/api-config';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Construct } from 'constructs';

/** AWS managed WAF rule groups: the common set, and known bad inputs (Log4j, CKV2_AWS_76). */
export const WAF_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** The window WAF counts a client's requests over (one of 60, 120, 300, 600 s). */
export const WAF_RATE_WINDOW_SECONDS = 300;

/**
 * Requests per client per {@link WAF_RATE_WINDOW_SECONDS} before WAF blocks it: twice what the
 * API's own limiter admits over that window. WAF's counts are approximate and lag by up to a
 * minute, so it is the backstop for floods (it blocks before the tasks spend anything); the API's
 * limiter stays the exact one, with a 429 and Retry-After.
 */
export const WAF_RATE_LIMIT =
  2 * DEFAULT_RATE_LIMIT_MAX * ((WAF_RATE_WINDOW_SECONDS * 1000) / DEFAULT_RATE_LIMIT_WINDOW_MS);

export const RATE_RULE_NAME = 'RateLimitPerClientIp';

export interface WebAclProps {
  readonly name: string;
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
  /** Managed rule groups to apply. @default none */
  readonly managedRuleGroups?: readonly string[];
  /**
   * Block clients over {@link WAF_RATE_LIMIT}, keyed on the connection's source address. Only where
   * that address is the client's: at an internet-facing ALB, or at CloudFront (behind CloudFront,
   * the ALB sees CloudFront's addresses, and WAF's forwarded-IP key reads the first, client-written
   * X-Forwarded-For entry). @default false
   */
  readonly rateLimit?: boolean;
  /** The resource to attach to (an ALB ARN); a CloudFront ACL is named by the distribution instead. */
  readonly associateWith?: string;
  /** The provider to create it with (CLOUDFRONT scope lives in us-east-1). */
  readonly provider?: AwsProvider;
}

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

function managedRule(group: string, priority: number): Wafv2WebAclRule {
  return {
    name: group,
    priority,
    overrideAction: { none: {} },
    statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
    visibilityConfig: visibility(group),
  };
}

function rateRule(priority: number): Wafv2WebAclRule {
  return {
    name: RATE_RULE_NAME,
    priority,
    action: { block: {} },
    statement: {
      rate_based_statement: {
        limit: WAF_RATE_LIMIT,
        aggregate_key_type: 'IP',
        evaluation_window_sec: WAF_RATE_WINDOW_SECONDS,
      },
    },
    visibilityConfig: visibility(RATE_RULE_NAME),
  };
}

/** A web ACL (allow by default) with the rate rule first, then the managed groups. */
export class WebAcl extends Construct {
  public readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const groups = props.managedRuleGroups ?? [];
    const rules = [
      ...(props.rateLimit ? [rateRule(0)] : []),
      ...groups.map((group, i) => managedRule(group, i + 1)),
    ];
    this.acl = new Wafv2WebAcl(this, 'web-acl', {
      provider: props.provider,
      name: props.name,
      description: `Managed protections for ${props.name}`,
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rule: rules,
    });
    if (props.associateWith) {
      new Wafv2WebAclAssociation(this, 'association', {
        resourceArn: props.associateWith,
        webAclArn: this.acl.arn,
      });
    }
  }
}
