import { z } from 'zod';

import { type HealthResponse, healthResponseSchema } from './health-response';
import { type LivenessResponse, livenessResponseSchema } from './liveness-response';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function parseWith<T>(schema: z.ZodType<T>, body: unknown): ParseResult<T> {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return { ok: false, problems: ['body is not valid JSON'] };
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`,
    ),
  };
}

/** Validates a `/health` body (object or JSON text) against the contract, for clients. */
export function parseHealth(body: unknown): ParseResult<HealthResponse> {
  return parseWith(healthResponseSchema, body);
}

/** Validates a `/health/live` body (object or JSON text) against the contract. */
export function parseLiveness(body: unknown): ParseResult<LivenessResponse> {
  return parseWith(livenessResponseSchema, body);
}
