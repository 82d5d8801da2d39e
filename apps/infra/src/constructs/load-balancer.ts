import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS } from '@prod-e/api-config';
import type { HealthCheckWiring } from '@prod-e/health-contract';
import { targetGroupHealthCheck } from '@prod-e/health-contract';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Construct } from 'constructs';

/** TLS 1.3 with 1.2 fallback, forward-secret ciphers only (CKV_AWS_103, CKV2_AWS_74, ELB.17). */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * The ALB appends the address it accepted the connection from to `X-Forwarded-For`, after whatever
 * the request carried: the rightmost entry is the one the client cannot write. The API reads the
 * address that many hops from the right (TRUSTED_PROXY_HOPS), so this mode and that count agree.
 */
export const XFF_HEADER_PROCESSING_MODE = 'append';

export interface LoadBalancerProps {
  readonly name: string;
  readonly targetGroupName: string;
  readonly vpcId: string;
  /** Subnets in two or more zones (ELB.13): public, or private for an internal ALB. */
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  /** Container port the target group sends to. */
  readonly containerPort: number;
  /** Which health endpoint the target group probes. @default 'liveness' */
  readonly healthCheckWiring?: HealthCheckWiring;
  /** Internal: reachable only inside the VPC (CloudFront's VPC origin). @default false */
  readonly internal?: boolean;
  /** ACM certificate: adds the HTTPS listener and turns port 80 into a redirect. @default none (HTTP only) */
  readonly certificateArn?: string;
  /** @default true when certificateArn is set */
  readonly redirectHttpToHttps?: boolean;
  /** ELB.6. @default true */
  readonly deletionProtection?: boolean;
  /** S3 bucket (with the ELB log-delivery policy) for access logs, ELB.5. @default none */
  readonly accessLogsBucket?: string;
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

const NOT_FOUND: LbListenerDefaultAction = {
  type: 'fixed-response',
  fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' },
};

const TO_HTTPS: LbListenerDefaultAction = {
  type: 'redirect',
  redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' },
};

/** @returns the idle timeout to use, once the props are known to make a working ALB */
function checkedIdleTimeout(props: LoadBalancerProps): number {
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
  return idleTimeout;
}

/**
 * The ALB (internet-facing, or internal behind CloudFront), the target group for the tasks, the
 * listeners (HTTP forward, or HTTP → HTTPS redirect plus HTTPS with a TLS 1.2+/1.3 policy) and the
 * blue/green pieces. The web ACL and the TLS edge are their own constructs.
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
  /** Blue/green only: the rule ECS switches between the target groups. */
  public readonly productionRule?: LbListenerRule;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    this.alb = this.createAlb(props, checkedIdleTimeout(props));
    this.targetGroup = this.createTargetGroup('target-group', props.targetGroupName, props);
    if (props.blueGreen) {
      // `-g` keeps the longest environment's name inside the ALB's 32-character limit.
      this.alternateTargetGroup = this.createTargetGroup(
        'alternate-target-group',
        `${props.targetGroupName}-g`,
        props,
      );
    }
    // Blue/green: the production rule routes; the default answers only what no rule matches.
    const serve: LbListenerDefaultAction = props.blueGreen
      ? NOT_FOUND
      : { type: 'forward', targetGroupArn: this.targetGroup.arn };
    const redirect = props.redirectHttpToHttps ?? props.certificateArn !== undefined;
    this.httpListener = this.listener('http-listener', 80, redirect ? TO_HTTPS : serve);
    if (props.certificateArn) {
      this.httpsListener = this.listener('https-listener', 443, serve, props.certificateArn);
    }
    this.servingListener = this.httpsListener ?? this.httpListener;
    if (this.alternateTargetGroup) {
      this.productionRule = this.createProductionRule(this.alternateTargetGroup);
    }
  }

  private createAlb(props: LoadBalancerProps, idleTimeout: number): Lb {
    return new Lb(this, 'alb', {
      name: props.name,
      loadBalancerType: 'application',
      internal: props.internal ?? false,
      subnets: [...props.subnetIds],
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      xffHeaderProcessingMode: XFF_HEADER_PROCESSING_MODE,
      idleTimeout,
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: props.accessLogsBucket
        ? { bucket: props.accessLogsBucket, prefix: props.name, enabled: true }
        : undefined,
      tags: { Name: props.name },
    });
  }

  private createTargetGroup(id: string, name: string, props: LoadBalancerProps): LbTargetGroup {
    return new LbTargetGroup(this, id, {
      name,
      targetType: 'ip',
      port: props.containerPort,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      healthCheck: { ...targetGroupHealthCheck(props.healthCheckWiring) },
      tags: { Name: name },
    });
  }

  private listener(
    id: string,
    port: 80 | 443,
    action: LbListenerDefaultAction,
    certificateArn?: string,
  ): LbListener {
    return new LbListener(this, id, {
      loadBalancerArn: this.alb.arn,
      port,
      protocol: certificateArn ? 'HTTPS' : 'HTTP',
      sslPolicy: certificateArn ? TLS_POLICY : undefined,
      certificateArn,
      defaultAction: [action],
    });
  }

  private createProductionRule(alternate: LbTargetGroup): LbListenerRule {
    return new LbListenerRule(this, 'production-rule', {
      listenerArn: this.servingListener.arn,
      priority: 100,
      condition: [{ pathPattern: { values: ['/*'] } }],
      action: [
        {
          type: 'forward',
          forward: {
            targetGroup: [
              { arn: this.targetGroup.arn, weight: 100 },
              { arn: alternate.arn, weight: 0 },
            ],
          },
        },
      ],
      // ECS owns the weights once it has deployed; Terraform must not flip them back.
      lifecycle: { ignoreChanges: ['action'] },
    });
  }
}
