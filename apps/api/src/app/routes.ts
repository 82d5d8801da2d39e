import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract/endpoints';

export const API_PREFIX = '/api';
export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs-json';

/** Route label for requests that matched no route, so raw paths never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

const startsWithSegment = (route: string, prefix: string) =>
  route === prefix || route.startsWith(`${prefix}/`);

/**
 * /health and /health/live: never authenticated nor rate limited, because ECS, the ALB and
 * deploy verification call them, and a throttled probe would look like an outage.
 */
export function isHealthRoute(route: string): boolean {
  return startsWithSegment(route, HEALTH_PATH);
}

/** Health and docs are operational traffic: not in the request log. */
export function isOperationalRoute(route: string): boolean {
  return isHealthRoute(route) || route.startsWith(DOCS_PATH); // /docs, /docs/*, /docs-json
}

/**
 * What the HTTP metrics (http_requests_total, http_request_duration_seconds, and the EMF Requests
 * and Latency made from them) count: every route but liveness. Its callers are the ECS and ALB
 * checks, several times a minute per task, not traffic (the ALB's RequestCount leaves its health
 * checks out too), and during every drain each would count as a 5xx (ADR 0020).
 */
export function isMeasuredRoute(route: string): boolean {
  return route !== LIVENESS_PATH;
}

/** The routes under /api. */
export function isApiRoute(route: string): boolean {
  return startsWithSegment(route, API_PREFIX);
}

/** What a bearer token protects when auth is on: /api and the docs. */
export function isProtectedRoute(route: string): boolean {
  return isApiRoute(route) || route.startsWith(DOCS_PATH);
}
