import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { Construct } from 'constructs';

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly minCount: number;
  readonly maxCount: number;
  /** Average CPU percent to hold. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Average memory percent to hold. @default 70 */
  readonly memoryTargetPercent?: number;
  /** Requests per target per minute to hold. @default 500 */
  readonly requestsPerTarget?: number;
  /** `<alb arn suffix>/<target group arn suffix>`, for ALBRequestCountPerTarget. */
  readonly requestCountResourceLabel: string;
  /** Seconds to wait after scaling in (slow, to avoid flapping). @default 300 */
  readonly scaleInCooldownSeconds?: number;
  /** Seconds to wait after scaling out (fast). @default 60 */
  readonly scaleOutCooldownSeconds?: number;
}

/**
 * Target tracking on CPU, memory and ALB requests per target (the seed's "future enhancement" 1).
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
      metric: string,
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
          predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        },
      });
    this.cpuPolicy = policy('cpu', 'ECSServiceAverageCPUUtilization', props.cpuTargetPercent ?? 60);
    this.memoryPolicy = policy(
      'memory',
      'ECSServiceAverageMemoryUtilization',
      props.memoryTargetPercent ?? 70,
    );
    this.requestsPolicy = policy(
      'requests',
      'ALBRequestCountPerTarget',
      props.requestsPerTarget ?? 500,
      props.requestCountResourceLabel,
    );
  }
}
