import { type ApiConfig } from '@prod-e/api-config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';

import { REQUEST_LOG_COLUMN_LENGTHS } from '../requests/request-log-columns';

/**
 * An incoming X-Request-Id is kept when it is plain and fits the request log's column, else a
 * UUID is made.
 */
const SAFE_REQUEST_ID = new RegExp(`^[\\w.:-]{1,${REQUEST_LOG_COLUMN_LENGTHS.requestId}}$`);

export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Fastify with the API's limits: body size (413 beyond it) and request ids. */
export function createFastifyAdapter(config: ApiConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: requestIdOf,
    // request.ip (the rate limit's key) is the address TRUSTED_PROXY_HOPS from the right of
    // X-Forwarded-For: each proxy appends the peer it saw, so entries a client wrote itself sit
    // further left and are never believed. 0: the socket's address, the header ignored.
    // (What Fastify does with a hop count; Nest's adapter options type takes a function.)
    trustProxy: (_address: string, hop: number) => hop < config.http.trustedProxyHops,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // During the drain, requests still arriving on open connections (keep-alive, pipelined)
    // reach the app instead of Fastify's generic 503, so liveness and /health answer their
    // contract body (status shutting_down). Fastify still sets `Connection: close` on them.
    return503OnClosing: false,
    // The API has no Nest middleware (requests are logged from a Fastify hook,
    // request-logging.ts), so @fastify/middie and its per-request hook are left out. Nest
    // middleware added later needs `await fastify.register(middie)` before it (and this removed).
    skipMiddie: true,
  });
}
