import { type ApiConfig } from '@prod-e/api-config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, LevelWithSilent } from 'pino';
import pinoHttp, { type HttpLogger } from 'pino-http';

import { CENSOR, REDACTED_PATHS, redactUrl } from './log-redaction';
import { isOperationalRoute } from './routes';

const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0];

/**
 * The API's one pino logger and its access log (pino-http): JSON lines in production,
 * pino-pretty in development, credentials censored (log-redaction.ts). Docs requests log at debug. The response is logged by its status
 * code only: every response header made each access line ~1.9 KB (and CloudWatch bills by
 * ingested byte). Which requests get an access line is decided by requestLoggingHook.
 */
export function createHttpLogger(config: ApiConfig, stream?: DestinationStream): HttpLogger {
  const pretty = config.nodeEnv === 'development' && !stream;
  return pinoHttp<IncomingMessage, ServerResponse, never>(
    {
      level: config.logLevel,
      // `reqId` on the access line too, the key the request-scoped logger binds (request-logging.ts).
      quietReqLogger: true,
      serializers: {
        // pino-http hands this its own serialized copy ({ id, method, url, headers, … }).
        req: (req: { url?: string }) => Object.assign(req, { url: redactUrl(req.url ?? '') }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      customLogLevel: (
        req: IncomingMessage,
        res: ServerResponse,
        error?: Error,
      ): LevelWithSilent => {
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
  );
}

/**
 * nestjs-pino logs Nest's own lines (and `new Logger(...)` in services) through the same pino
 * instance, and binds no middleware (`forRoutes: []`): requests are logged by a Fastify hook
 * (requestLoggingHook), because Nest middleware runs through @fastify/middie on every request,
 * probes included (docs/performance.md).
 */
export function nestLoggerParams(httpLogger: HttpLogger): Params {
  return { pinoHttp: { logger: httpLogger.logger }, forRoutes: [] };
}
