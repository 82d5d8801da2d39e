import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { isDatabaseUnavailable } from './database-unavailable';
import { type ErrorBody, errorBody } from './error-body';

/** Fastify and its plugins (body parser, rate limit) throw errors that carry an HTTP status. */
function clientStatusOf(exception: unknown): number | undefined {
  const { statusCode } = (exception ?? {}) as { statusCode?: unknown };
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode <= 499
    ? statusCode
    : undefined;
}

/**
 * Every error leaves as `{statusCode, error, message}` (ErrorBody), whoever raised it: Nest
 * (404, validation 400 with its `problems`), Fastify's body parser (malformed JSON 400, 413),
 * the rate limiter (429), a database that is down or timing out (503, retry later), or a bug
 * (500, logged with its stack, which never leaves the process). Errors Fastify raises before a
 * route runs reach this filter too, through Nest's router error handler.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.bodyOf(exception);
    if (reply.sent) return;
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private bodyOf(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      return errorBody(exception.getStatus(), exception.getResponse());
    }
    const clientStatus = clientStatusOf(exception);
    if (clientStatus !== undefined) {
      return errorBody(clientStatus, { message: (exception as Error).message });
    }
    if (isDatabaseUnavailable(exception)) {
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'Database unavailable, retry later');
    }
    this.logger.error(
      exception instanceof Error ? exception.message : String(exception),
      exception instanceof Error ? exception.stack : undefined,
    );
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
