import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract/endpoints';
import type { onRequestHookHandler } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';

import { routeOf } from './route-of';

/** The provider token of the API's HttpLogger (createHttpLogger), for configureApp. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * Routes without an access line or request logger: probes every few seconds would drown the
 * log. Their outcome is in the http_requests_total metric.
 */
export const UNLOGGED_ROUTES: ReadonlySet<string> = new Set([HEALTH_PATH, LIVENESS_PATH]);

/**
 * The access log and the request-scoped logger, as one Fastify onRequest hook. This is what
 * nestjs-pino's middleware did, without Nest's middleware pipeline (@fastify/middie and its
 * per-request route exclusion), which cost ~25 µs on every request, the skipped probes
 * included: a third of a /health/live request's CPU (docs/performance.md).
 * - pino-http writes the request's access line when the response finishes (401s and 429s
 *   from later hooks included), with Fastify's request id;
 * - log lines written while the request runs (`new Logger(...)` in a service) carry its id.
 */
export function requestLoggingHook(
  httpLogger: HttpLogger,
  contextLogger: PinoLogger,
): onRequestHookHandler {
  return (request, reply, done) => {
    if (UNLOGGED_ROUTES.has(routeOf(request))) return done();
    // pino-http takes the id from the raw request, where middie used to copy Fastify's.
    (request.raw as { id?: string }).id = request.id;
    httpLogger(request.raw, reply.raw);
    contextLogger.runInContext(done, { bindings: { reqId: request.id } });
  };
}
