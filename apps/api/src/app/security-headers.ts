import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * helmet's headers, with a CSP that lets Swagger UI run its inline bootstrap code; everything else
 * stays on helmet's defaults.
 */
const helmetMiddleware = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
    },
  },
});

/**
 * The security headers every answer carries, taken from helmet once at start-up. They never
 * vary here (no per-request nonces), so running helmet's eleven middlewares and eleven raw
 * `setHeader` calls on every request (a tenth of a /health/live request's CPU) buys nothing:
 * an onRequest hook hands Fastify this object instead.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(recordHeaders());

function recordHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmetMiddleware(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => (failure = error),
  );
  if (failure !== undefined) throw new Error('helmet refused its options', { cause: failure });
  return headers;
}
