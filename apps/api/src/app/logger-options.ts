import { type ApiConfig } from '@prod-e/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

import { isOperationalRoute } from './routes';

/** Header values that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0];

/**
 * nestjs-pino settings: JSON lines with the request id (Fastify's, which middie copies onto the
 * raw request) in production, pino-pretty in development. Health, metrics and docs requests log
 * at debug, not info, so probes every few seconds do not drown the log.
 */
export function loggerOptions(config: ApiConfig, stream?: DestinationStream): Params {
  const pretty = config.nodeEnv === 'development' && !stream;
  return {
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: config.logLevel,
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
