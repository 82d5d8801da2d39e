import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { DEFAULT_SCALING_TARGETS } from '@prod-e/deployment';
import { Construct } from 'constructs';

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly minCount: number;
  readonly maxCount: number;
  /** Average CPU percent to hold. @default DEFAULT_SCALING_TARGETS.cpuPercent */
  readonly cpuTargetPercent?: number;
  /** Average memory percent to hold. @default DEFAULT_SCALING_TARGETS.memoryPercent */
  readonly memoryTargetPercent?: number;
  /** Requests per target per minute to hold. @default DEFAULT_SCALING_TARGETS.requestsPerTargetPerMinute */
  readonly requestsPerTarget?: number;
  /** `<alb arn suffix>/<target group arn suffix>`, for ALBRequestCountPerTarget. */
  readonly requestCountResourceLabel: string;
  /**
   * Blue/green: ALBRequestCountPerTarget follows one target group, but traffic moves between two.
   * Given, the request policy tracks the ALB's requests over the healthy targets of both.
   * @default none (rolling: the predefined metric on the one target group)
   */
  readonly blueGreenTargetGroups?: {
    readonly loadBalancerArnSuffix: string;
    readonly targetGroupArnSuffixes: readonly [string, string];
  };
  /** Seconds to wait after scaling in (slow, to avoid flapping). @default 300 */
  readonly scaleInCooldownSeconds?: number;
  /** Seconds to wait after scaling out (fast). @default 60 */
  readonly scaleOutCooldownSeconds?: number;
}

/**
 * Target tracking on CPU, memory and ALB requests per target.
 * The service ignores `desired_count` after creation, so these policies own the task count.
 */
export class ServiceAutoscaling extends Construct {
  public readonly target: AppautoscalingTarget;
  public readonly cpuPolicy: AppautoscalingPolicy;
  public readonly memoryPolicy: AppautoscalingPolicy;
  public readonly requestsPolicy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    if (props.minCount > props.maxCount) {
      throw new Error(
        `ServiceAutoscaling: minCount ${props.minCount} exceeds maxCount ${props.maxCount}; raise maxCount or lower minCount.`,
      );
    }
    for (const [key, value] of Object.entries({
      cpuTargetPercent: props.cpuTargetPercent,
      memoryTargetPercent: props.memoryTargetPercent,
    })) {
      if (value !== undefined && (value <= 0 || value >= 100)) {
        throw new Error(
          `ServiceAutoscaling: ${key} ${value} must be between 0 and 100 (exclusive).`,
        );
      }
    }
    this.target = new AppautoscalingTarget(this, 'target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    const policy = (
      policyId: string,
      metric: string | ReturnType<typeof requestsAcrossTargetGroups>,
      targetValue: number,
      resourceLabel?: string,
    ) =>
      new AppautoscalingPolicy(this, policyId, {
        name: `${props.serviceName}-${policyId}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: this.target.serviceNamespace,
        scalableDimension: this.target.scalableDimension,
        resourceId: this.target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          scaleInCooldown: props.scaleInCooldownSeconds ?? 300,
          scaleOutCooldown: props.scaleOutCooldownSeconds ?? 60,
          ...(typeof metric === 'string'
            ? { predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel } }
            : { customizedMetricSpecification: metric }),
        },
      });
    const targets = DEFAULT_SCALING_TARGETS;
    this.cpuPolicy = policy(
      'cpu',
      'ECSServiceAverageCPUUtilization',
      props.cpuTargetPercent ?? targets.cpuPercent,
    );
    this.memoryPolicy = policy(
      'memory',
      'ECSServiceAverageMemoryUtilization',
      props.memoryTargetPercent ?? targets.memoryPercent,
    );
    this.requestsPolicy = policy(
      'requests',
      props.blueGreenTargetGroups
        ? requestsAcrossTargetGroups(props.blueGreenTargetGroups)
        : 'ALBRequestCountPerTarget',
      props.requestsPerTarget ?? targets.requestsPerTargetPerMinute,
      props.requestCountResourceLabel,
    );
  }
}

/** Requests per healthy target per minute, over whichever target group serves the traffic. */
function requestsAcrossTargetGroups(
  groups: NonNullable<ServiceAutoscalingProps['blueGreenTargetGroups']>,
) {
  const lb = { name: 'LoadBalancer', value: groups.loadBalancerArnSuffix };
  const healthy = groups.targetGroupArnSuffixes.map((group, i) => ({
    id: `healthy${i}`,
    returnData: false,
    metricStat: {
      stat: 'Minimum',
      metric: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HealthyHostCount',
        dimensions: [lb, { name: 'TargetGroup', value: group }],
      },
    },
  }));
  return {
    metrics: [
      {
        id: 'requests',
        returnData: false,
        metricStat: {
          stat: 'Sum',
          metric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: [lb] },
        },
      },
      ...healthy,
      {
        id: 'perTarget',
        label: 'Requests per healthy target (both target groups)',
        // No healthy target: division by zero yields no datapoint, and target tracking waits.
        expression: `requests / (${healthy.map((h) => `FILL(${h.id}, 0)`).join(' + ')})`,
        returnData: true,
      },
    ],
  };
}
