import { DEFAULT_HEALTH_CHECK_WIRING, type HealthCheckWiring, healthCheckPath } from './endpoints';

/** ALB target group health check, in the shape of the Terraform `health_check` block. */
export interface TargetGroupHealthCheck {
  readonly enabled: true;
  readonly path: string;
  readonly port: 'traffic-port';
  readonly protocol: 'HTTP';
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly timeout: number;
  readonly interval: number;
  readonly matcher: string;
}

/** The target group check values; only the path depends on the wiring mode. */
export function targetGroupHealthCheck(
  wiring: HealthCheckWiring = DEFAULT_HEALTH_CHECK_WIRING,
): TargetGroupHealthCheck {
  return {
    enabled: true,
    path: healthCheckPath(wiring),
    port: 'traffic-port',
    protocol: 'HTTP',
    healthyThreshold: 3,
    unhealthyThreshold: 3,
    timeout: 5,
    interval: 30,
    matcher: '200-299',
  };
}
