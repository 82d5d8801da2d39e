/** Port the API listens on inside the container (`prod-e-container:3000`). */
export const API_PORT = 3000;

/**
 * Port of the Prometheus endpoint: its own listener, which no load balancer listener forwards to,
 * so operational metrics are scraped from inside the task or the VPC, never from the internet.
 */
export const METRICS_PORT = 9464;

/** Prometheus text exposition, served on METRICS_PORT. */
export const METRICS_PATH = '/metrics';

/** Database-inclusive health: deploy verification, alarms and people call it. */
export const HEALTH_PATH = '/health';

/** Liveness: no I/O; the container and ALB checks call it by default. */
export const LIVENESS_PATH = '/health/live';

/**
 * Which endpoint the ECS container check and the ALB target group check call.
 * - `liveness` (default): `/health/live`, so a database failover never makes ECS replace every
 *   task at once (a restart storm).
 * - `database`: both on `/health`, so ECS replaces a task that cannot reach the database (every
 *   task at once when the database itself is down).
 */
export const HEALTH_CHECK_WIRINGS = ['liveness', 'database'] as const;
export type HealthCheckWiring = (typeof HEALTH_CHECK_WIRINGS)[number];
export const DEFAULT_HEALTH_CHECK_WIRING: HealthCheckWiring = 'liveness';

/**
 * Wiring values that were renamed, and their current names. The settings refuse an old value with
 * an error that names the new one, instead of a bare "must be liveness or database".
 */
export const RENAMED_HEALTH_CHECK_WIRINGS: ReadonlyMap<string, HealthCheckWiring> = new Map([
  ['seed', 'database'],
]);

/** The path the ECS and ALB checks call for a wiring mode. */
export function healthCheckPath(wiring: HealthCheckWiring = DEFAULT_HEALTH_CHECK_WIRING): string {
  return wiring === 'database' ? HEALTH_PATH : LIVENESS_PATH;
}
