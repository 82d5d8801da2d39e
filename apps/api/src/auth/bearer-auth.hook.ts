import type { FastifyReply, FastifyRequest } from 'fastify';

import { routeOf } from '../app/route-of';
import { isProtectedRoute } from '../app/routes';
import { tokenMatcher } from './token-matcher';

const BEARER = /^Bearer ([^\s]+)$/;

/**
 * Fastify onRequest hook (access control): /api, /metrics and /docs need
 * `Authorization: Bearer <token>` with one of API_TOKENS. It is a Fastify hook rather than a Nest
 * guard because the Swagger UI and its JSON are Fastify routes that guards never see. Routes are
 * matched by template (already resolved by the router), so no path spelling can slip past.
 * The answer never says what was wrong (missing, malformed or unknown token).
 */
export function bearerAuthHook(tokens: readonly string[]) {
  const matches = tokenMatcher(tokens);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!isProtectedRoute(routeOf(request))) return;
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (token !== undefined && matches(token)) return;
    await reply.code(401).header('WWW-Authenticate', 'Bearer realm="prod-e"').send({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'A valid bearer token is required',
    });
  };
}
