import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS } from '@prod-e/api-config';
import type { HealthCheckWiring } from '@prod-e/health-contract';
import { targetGroupHealthCheck } from '@prod-e/health-contract';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Construct } from 'constructs';

/** TLS 1.3 with 1.2 fallback, forward-secret ciphers only (CKV_AWS_103, CKV2_AWS_74, ELB.17). */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Paths the internet never sees: Prometheus metrics are scraped from inside the VPC. */
export const INTERNAL_PATHS = ['/metrics', '/metrics/*'] as const;

/** AWS managed WAF rule groups: the common set, and known bad inputs (Log4j, CKV2_AWS_76). */
export const WAF_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

export interface LoadBalancerProps {
  readonly name: string;
  readonly targetGroupName: string;
  readonly vpcId: string;
  /** Public subnets in two or more zones (ELB.13). */
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  /** Container port the target group sends to. */
  readonly containerPort: number;
  /** Which health endpoint the target group probes. @default 'liveness' */
  readonly healthCheckWiring?: HealthCheckWiring;
  /** ACM certificate: adds the HTTPS listener and turns port 80 into a redirect. @default none (HTTP only) */
  readonly certificateArn?: string;
  /** @default true when certificateArn is set */
  readonly redirectHttpToHttps?: boolean;
  /** ELB.6. @default true */
  readonly deletionProtection?: boolean;
  /** S3 bucket (with the ELB log-delivery policy) for access logs, ELB.5. @default none */
  readonly accessLogsBucket?: string;
  /** Attach a WAF web ACL (CKV2_AWS_28). @default false */
  readonly wafEnabled?: boolean;
  /** Below the API's 65 s keep-alive, or the ALB reuses closed connections (502s). @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Connection draining before a target is removed (ECS best practice: 15-30 s, not 300). @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /**
   * ECS-native blue/green: a second target group and a production listener rule whose forward
   * weights ECS shifts. @default false
   */
  readonly blueGreen?: boolean;
}

/**
 * Internet-facing ALB, the target group for the tasks, listeners (HTTP forward, or HTTP → HTTPS
 * redirect plus HTTPS with a TLS 1.2+/1.3 policy), a fixed 404 for /metrics from the internet, and
 * the optional WAF and blue/green pieces.
 */
export class LoadBalancer extends Construct {
  public readonly alb: Lb;
  public readonly targetGroup: LbTargetGroup;
  /** Blue/green only: the target group ECS deploys the new revision into. */
  public readonly alternateTargetGroup?: LbTargetGroup;
  public readonly httpListener: LbListener;
  public readonly httpsListener?: LbListener;
  /** The listener that forwards to the tasks (HTTPS when a certificate is set). */
  public readonly servingListener: LbListener;
  public readonly metricsBlockRule: LbListenerRule;
  /** Blue/green only: the rule ECS switches between the target groups. */
  public readonly productionRule?: LbListenerRule;
  public readonly webAcl?: Wafv2WebAcl;
  /** `http(s)://<dns name>` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const redirect = props.redirectHttpToHttps ?? props.certificateArn !== undefined;
    if (redirect && !props.certificateArn) {
      throw new Error(
        'LoadBalancer: redirectHttpToHttps needs an HTTPS listener; set certificateArn or turn redirectHttpToHttps off.',
      );
    }
    if (props.subnetIds.length < 2) {
      throw new Error('LoadBalancer: give subnetIds in at least two zones (ELB.13).');
    }
    const idleTimeout = props.idleTimeoutSeconds ?? 60;
    if (idleTimeout * 1000 >= DEFAULT_KEEP_ALIVE_TIMEOUT_MS) {
      throw new Error(
        `LoadBalancer: idleTimeoutSeconds ${idleTimeout} is not below the API's ${DEFAULT_KEEP_ALIVE_TIMEOUT_MS / 1000} s keep-alive timeout; the ALB would reuse connections Node already closed (502s). Lower it.`,
      );
    }

    this.alb = new Lb(this, 'alb', {
      name: props.name,
      loadBalancerType: 'application',
      internal: false,
      subnets: [...props.subnetIds],
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      idleTimeout,
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: props.accessLogsBucket
        ? { bucket: props.accessLogsBucket, prefix: props.name, enabled: true }
        : undefined,
      tags: { Name: props.name },
    });

    const targetGroup = (groupId: string, name: string) =>
      new LbTargetGroup(this, groupId, {
        name,
        targetType: 'ip',
        port: props.containerPort,
        protocol: 'HTTP',
        vpcId: props.vpcId,
        deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
        healthCheck: { ...targetGroupHealthCheck(props.healthCheckWiring) },
        tags: { Name: name },
      });
    this.targetGroup = targetGroup('target-group', props.targetGroupName);
    if (props.blueGreen) {
      // `-g` keeps the longest environment's name inside the ALB's 32-character limit.
      this.alternateTargetGroup = targetGroup(
        'alternate-target-group',
        `${props.targetGroupName}-g`,
      );
    }

    const forward: LbListenerDefaultAction = {
      type: 'forward',
      targetGroupArn: this.targetGroup.arn,
    };
    // Blue/green: the production rule routes; the default answers only what no rule matches.
    const serveDefault: LbListenerDefaultAction = props.blueGreen
      ? {
          type: 'fixed-response',
          fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' },
        }
      : forward;

    this.httpListener = new LbListener(this, 'http-listener', {
      loadBalancerArn: this.alb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [
        redirect
          ? {
              type: 'redirect',
              redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' },
            }
          : serveDefault,
      ],
    });
    if (props.certificateArn) {
      this.httpsListener = new LbListener(this, 'https-listener', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [serveDefault],
      });
    }
    this.servingListener = this.httpsListener ?? this.httpListener;

    // Decided: on in every environment. Metrics are for the in-VPC scraper; a public /metrics
    // leaks route names and load figures, and no environment needs it from outside.
    this.metricsBlockRule = new LbListenerRule(this, 'metrics-block-rule', {
      listenerArn: this.servingListener.arn,
      priority: 10,
      condition: [{ pathPattern: { values: [...INTERNAL_PATHS] } }],
      action: [
        {
          type: 'fixed-response',
          fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' },
        },
      ],
    });

    if (this.alternateTargetGroup) {
      this.productionRule = new LbListenerRule(this, 'production-rule', {
        listenerArn: this.servingListener.arn,
        priority: 100,
        condition: [{ pathPattern: { values: ['/*'] } }],
        action: [
          {
            type: 'forward',
            forward: {
              targetGroup: [
                { arn: this.targetGroup.arn, weight: 100 },
                { arn: this.alternateTargetGroup.arn, weight: 0 },
              ],
            },
          },
        ],
        // ECS owns the weights once it has deployed; Terraform must not flip them back.
        lifecycle: { ignoreChanges: ['action'] },
      });
    }

    if (props.wafEnabled) {
      this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
        name: props.name,
        description: `Managed protections for ${props.name}`,
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: {
          cloudwatchMetricsEnabled: true,
          metricName: props.name,
          sampledRequestsEnabled: true,
        },
        rule: WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
          name: group,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
          visibilityConfig: {
            cloudwatchMetricsEnabled: true,
            metricName: group,
            sampledRequestsEnabled: true,
          },
        })),
      });
      new Wafv2WebAclAssociation(this, 'web-acl-association', {
        resourceArn: this.alb.arn,
        webAclArn: this.webAcl.arn,
      });
    }

    this.url = `${props.certificateArn ? 'https' : 'http'}://${this.alb.dnsName}`;
  }
}
