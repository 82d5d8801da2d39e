import { STATUS_CODES } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  HttpException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

import { isDatabaseUnavailable } from './database-unavailable';

/** Fastify plugins (rate limit, body parser) throw errors that carry their HTTP status. */
function fastifyHttpError(exception: unknown): HttpException | undefined {
  const { statusCode, message } = (exception ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  return new HttpException(
    {
      statusCode,
      error: STATUS_CODES[statusCode],
      message: String(message ?? STATUS_CODES[statusCode]),
    },
    statusCode,
  );
}

/**
 * Errors leave as JSON without stack traces (Nest's base filter: HttpExceptions as they are,
 * anything else a logged 500). Client errors raised by Fastify plugins keep their 4xx (the rate
 * limiter's 429), and a database that is down or timing out is a 503 clients can retry.
 */
@Catch()
export class AllExceptionsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const clientError =
      exception instanceof HttpException ? undefined : fastifyHttpError(exception);
    if (clientError) {
      super.catch(clientError, host);
      return;
    }
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
      super.catch(new ServiceUnavailableException('Database unavailable, retry later'), host);
      return;
    }
    super.catch(exception, host);
  }
}
