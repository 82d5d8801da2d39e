import {
  API_PORT,
  DEFAULT_HEALTH_CHECK_WIRING,
  type HealthCheckWiring,
  healthCheckPath,
} from './endpoints';

/** The container check timing, in seconds. */
export const CONTAINER_HEALTH_CHECK_TIMING = {
  interval: 30,
  timeout: 5,
  retries: 3,
  startPeriod: 60,
} as const;

/** The probe gives up before ECS's own 5 s timeout, so a hung API is a clean exit 1. */
export const PROBE_TIMEOUT_MS = 2000;

export interface ProbeOptions {
  /** @default 'liveness' (`/health/live`) */
  readonly wiring?: HealthCheckWiring;
  /** @default 3000 */
  readonly port?: number;
  /** @default 2000 */
  readonly timeoutMs?: number;
}

/** ECS task definition `healthCheck` (the JSON shape, seconds). */
export interface ContainerHealthCheck {
  readonly command: ['CMD-SHELL', string];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

/**
 * The probe as one line of JavaScript: exit 0 on HTTP 200, exit 1 on any other status, a refused
 * connection or no answer within the timeout. A socket timeout alone never ends the request, so the
 * `timeout` event exits. It dials 127.0.0.1 rather than
 * `localhost` because `localhost` may resolve to ::1 first while the API listens on IPv4.
 */
export function probeScript(options: ProbeOptions = {}): string {
  const path = healthCheckPath(options.wiring ?? DEFAULT_HEALTH_CHECK_WIRING);
  const port = options.port ?? API_PORT;
  const timeout = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  return (
    `require('http').get({host:'127.0.0.1',port:${port},path:'${path}',timeout:${timeout}},` +
    `(r)=>process.exit(r.statusCode===200?0:1))` +
    `.on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))`
  );
}

/** `node -e "<probe>"`, as a shell command line (no curl in the image). */
export function probeCommand(options: ProbeOptions = {}): string {
  return `node -e "${probeScript(options)}"`;
}

/** The ECS container health check: the node probe with {@link CONTAINER_HEALTH_CHECK_TIMING}. */
export function containerHealthCheck(options: ProbeOptions = {}): ContainerHealthCheck {
  return { command: ['CMD-SHELL', probeCommand(options)], ...CONTAINER_HEALTH_CHECK_TIMING };
}
