import { type ApiConfig } from '@prod-e/config';
import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

import { METRICS_PATH, isOperationalRoute } from './routes';

/** Header values that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0];

/**
 * Routes without a per-request logger: probes every few seconds (and scrapes) would drown the
 * log, and pino-http's child logger (bindings serialised, redaction prepared) was ~5 % of a
 * /health/live request's CPU even though the line was then skipped. Their outcome is in the
 * http_requests_total metric.
 */
export const UNLOGGED_ROUTES = [HEALTH_PATH, LIVENESS_PATH, METRICS_PATH].map((path) => ({
  path,
  method: RequestMethod.ALL,
}));

/**
 * nestjs-pino settings: JSON lines with the request id (Fastify's, which middie copies onto the
 * raw request) in production, pino-pretty in development. Health and metrics requests are not
 * logged (UNLOGGED_ROUTES); docs requests log at debug. The response is logged by its status
 * code only: every response header made each access line ~1.9 KB (and CloudWatch bills by
 * ingested byte).
 */
export function loggerOptions(config: ApiConfig, stream?: DestinationStream): Params {
  const pretty = config.nodeEnv === 'development' && !stream;
  return {
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    exclude: UNLOGGED_ROUTES,
    pinoHttp: [
      {
        level: config.logLevel,
        serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) => {
          if (error || res.statusCode >= 500) return 'error';
          if (isOperationalRoute(pathOf(req))) return 'debug';
          return res.statusCode >= 400 ? 'warn' : 'info';
        },
        transport: pretty
          ? {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
            }
          : undefined,
      },
      stream,
    ] as Params['pinoHttp'],
  };
}
