import { type ApiConfig } from '@prod-e/api-config';
import { FastifyAdapter } from '@nestjs/platform-fastify';

import { serverWithLivenessFastPath } from '../health/liveness-fast-path';
import { requestIdOf } from './request-id';

/** Fastify with the API's limits (body size, 413 beyond it), request ids and the liveness fast path. */
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
    // The HTTP server answers plain liveness probes itself (liveness-fast-path.ts) and hands
    // every other request to Fastify.
    serverFactory: serverWithLivenessFastPath,
  });
}
