import { LIVENESS_PATH } from '@prod-e/health-contract/endpoints';
import { HttpStatus } from '@nestjs/common';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';

import { requestIdOf } from '../app/request-id';
import { SECURITY_HEADERS } from '../app/security-headers';
import { livenessBody } from './health-body';

/**
 * What an answer reads and tells: shutdown state, the drain and the CORS setting. The HTTP
 * metrics leave liveness out (isMeasuredRoute), on this path as on Fastify's.
 */
export interface LivenessFastPathSources {
  readonly shutdown: { readonly isShuttingDown: boolean };
  /** HttpDrain, which counts the requests answered while it waits. */
  readonly drain: { recordAnswered(): void };
  /** CORS_ORIGINS is set: Fastify's CORS answers every request with `Vary: Origin`. */
  readonly cors: boolean;
}

/** One millisecond's answer: the body changes only with its timestamp and the shutdown state. */
interface LivenessAnswer {
  readonly at: number;
  readonly shuttingDown: boolean;
  readonly body: string;
  readonly contentLength: string;
}

interface FastPath {
  readonly sources: LivenessFastPathSources;
  /** The headers every answer carries, as Fastify's hooks set them, as name-value pairs. */
  readonly constantHeaders: readonly string[];
  /**
   * The last answer made. Probes arriving in the same millisecond share it: formatting the date
   * costs about as much as all the other work of the answer together.
   */
  latest?: LivenessAnswer;
}

const fastPathOf = new WeakMap<Server, FastPath>();

/**
 * A plain probe: GET /health/live (a query string aside) without an Origin header, which is what
 * ECS, the ALB and `prod-e` send. Everything else, HEAD and cross-origin calls included, goes to
 * Fastify, whose route answers the same body with CORS and the rest.
 */
function isPlainProbe(req: IncomingMessage): boolean {
  const { url } = req;
  return (
    req.method === 'GET' &&
    url !== undefined &&
    (url === LIVENESS_PATH || url.startsWith(`${LIVENESS_PATH}?`)) &&
    req.headers.origin === undefined
  );
}

/** What Fastify sets on a server it makes itself, and leaves to a `serverFactory`. */
export interface FastifyServerSettings {
  readonly http?: ServerOptions;
  readonly keepAliveTimeout?: number;
  readonly requestTimeout?: number;
  readonly connectionTimeout?: number;
  readonly maxRequestsPerSocket?: number;
}

/**
 * Fastify's `serverFactory`: the HTTP server answers plain liveness probes itself and hands every
 * other request to Fastify. The ECS and ALB checks call it every few seconds, and it needs none of
 * Nest's routing or the per-request hooks (access log, rate limit, auth), which were more than
 * half of its CPU (ADR 0018). Until `enableLivenessFastPath`, Fastify answers every request,
 * probes included. The server gets the settings Fastify gives the servers it makes itself.
 */
export function serverWithLivenessFastPath(
  fastify: RequestListener,
  settings: FastifyServerSettings = {},
): Server {
  const server = createServer(settings.http ?? {}, (req, res) => {
    const fastPath = fastPathOf.get(server);
    if (fastPath === undefined || !isPlainProbe(req)) return fastify(req, res);
    try {
      answerProbe(req, res, fastPath);
    } catch (error) {
      // Never an uncaught exception in the server's listener: Fastify answers instead, or, with
      // the answer already sent, the connection ends.
      if (!res.headersSent) fastify(req, res);
      else res.destroy(error instanceof Error ? error : undefined);
    }
  });
  if (settings.keepAliveTimeout !== undefined) server.keepAliveTimeout = settings.keepAliveTimeout;
  server.requestTimeout = settings.requestTimeout ?? 0;
  server.setTimeout(settings.connectionTimeout ?? 0);
  const maxRequests = settings.maxRequestsPerSocket ?? 0;
  if (maxRequests > 0) server.maxRequestsPerSocket = maxRequests;
  return server;
}

/** From now on `server` answers plain probes from `sources` (configureApp calls this). */
export function enableLivenessFastPath(server: Server, sources: LivenessFastPathSources): void {
  const constantHeaders = Object.entries({
    ...SECURITY_HEADERS,
    ...(sources.cors && { vary: 'Origin' }),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  }).flat();
  fastPathOf.set(server, { sources, constantHeaders });
}

/**
 * What the Fastify route answers: the contract body and the headers every answer carries. The
 * drain counts the probe before it is written, so a failure there still leaves the request
 * unanswered for Fastify to take.
 */
function answerProbe(req: IncomingMessage, res: ServerResponse, fastPath: FastPath) {
  const { sources } = fastPath;
  const shuttingDown = sources.shutdown.isShuttingDown;
  const status = shuttingDown ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
  const { body, contentLength } = currentAnswer(fastPath, shuttingDown);
  const headers = [
    ...fastPath.constantHeaders,
    'content-length',
    contentLength,
    'x-request-id',
    requestIdOf(req),
  ];
  // Draining: this connection is going away, as HttpDrain tells every request then.
  if (shuttingDown) headers.push('connection', 'close');
  sources.drain.recordAnswered();
  res.writeHead(status, headers);
  res.end(body);
}

function currentAnswer(fastPath: FastPath, shuttingDown: boolean): LivenessAnswer {
  const now = Date.now();
  const latest = fastPath.latest;
  if (latest?.at === now && latest.shuttingDown === shuttingDown) return latest;
  const body = JSON.stringify(livenessBody(shuttingDown, new Date(now)));
  const answer = { at: now, shuttingDown, body, contentLength: String(Buffer.byteLength(body)) };
  fastPath.latest = answer;
  return answer;
}
