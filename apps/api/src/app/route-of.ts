import type { FastifyRequest } from 'fastify';

import { UNMATCHED_ROUTE } from './routes';

/** The matched route template (`/api/requests`), or UNMATCHED_ROUTE: never the raw path. */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}
