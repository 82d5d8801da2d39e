import { STATUS_CODES } from 'node:http';

import type { ParameterProblem } from './zod-validation.pipe';

/** The body of every error response: exactly these keys (problems only on a bad parameter). */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly problems?: readonly ParameterProblem[];
}

/** The reason phrase of a status (`Bad Request`), or `Error` for one Node does not name. */
export function reasonOf(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/**
 * An error body from what an HttpException carries: a string, or an object whose `message` is
 * a string or (Nest's own validation) a list. Anything else it carries (`code`, stack, cause)
 * stays out.
 */
export function errorBody(statusCode: number, response: unknown): ErrorBody {
  const carried = (typeof response === 'object' && response !== null ? response : {}) as {
    message?: unknown;
    problems?: unknown;
  };
  const rawMessage = typeof response === 'string' ? response : carried.message;
  const message = Array.isArray(rawMessage)
    ? rawMessage.map(String).join('; ')
    : typeof rawMessage === 'string' && rawMessage !== ''
      ? rawMessage
      : reasonOf(statusCode);
  return {
    statusCode,
    error: reasonOf(statusCode),
    message,
    ...(Array.isArray(carried.problems)
      ? { problems: carried.problems as ParameterProblem[] }
      : {}),
  };
}
