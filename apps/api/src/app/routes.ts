import { HEALTH_PATH, METRICS_PATH } from '@prod-e/health-contract/endpoints';

export const API_PREFIX = '/api';
export { METRICS_PATH };
export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs-json';

/** Route label for requests that matched no route, so raw paths never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

const startsWithSegment = (route: string, prefix: string) =>
  route === prefix || route.startsWith(`${prefix}/`);

/** Health, metrics and docs are operational traffic: not in the request log. */
export function isOperationalRoute(route: string): boolean {
  return (
    startsWithSegment(route, HEALTH_PATH) ||
    startsWithSegment(route, METRICS_PATH) ||
    route.startsWith(DOCS_PATH) // /docs, /docs/*, /docs-json
  );
}

/** The routes under /api: rate limited and, with auth on, protected. */
export function isApiRoute(route: string): boolean {
  return startsWithSegment(route, API_PREFIX);
}

/** What a bearer token protects when auth is on: /api, /metrics and the docs. */
export function isProtectedRoute(route: string): boolean {
  return isApiRoute(route) || startsWithSegment(route, METRICS_PATH) || route.startsWith(DOCS_PATH);
}
