/** Port the API listens on inside the container (the seed's `prod-e-container:3000`). */
export const API_PORT = 3000;

/** Database-inclusive health: deploy verification, alarms and people call it. */
export const HEALTH_PATH = '/health';

/** Liveness: no I/O; the container and ALB checks call it by default. */
export const LIVENESS_PATH = '/health/live';

/**
 * Which endpoint the ECS container check and the ALB target group check call.
 * - `liveness` (default): `/health/live`, so a database failover never makes ECS replace every
 *   task at once (a restart storm).
 * - `seed`: both on `/health`, as the original design document wired them.
 */
export const HEALTH_CHECK_WIRINGS = ['liveness', 'seed'] as const;
export type HealthCheckWiring = (typeof HEALTH_CHECK_WIRINGS)[number];
export const DEFAULT_HEALTH_CHECK_WIRING: HealthCheckWiring = 'liveness';

/** The path the ECS and ALB checks call for a wiring mode. */
export function healthCheckPath(wiring: HealthCheckWiring = DEFAULT_HEALTH_CHECK_WIRING): string {
  return wiring === 'seed' ? HEALTH_PATH : LIVENESS_PATH;
}
