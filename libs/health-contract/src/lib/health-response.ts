import { z } from 'zod';

/**
 * `GET /health`: `{"status":"ok","timestamp":"…","database":"connected"}` with 200,
 * or `status: "error"`, `database: "disconnected"` with 503. The endpoint is public, so the API
 * sends these keys and nothing else (no driver error, no address, no version: those go to its
 * log). Clients accept unknown keys, so a later key does not break them.
 */
export const healthResponseSchema = z.looseObject({
  status: z.enum(['ok', 'error', 'shutting_down']),
  timestamp: z.iso.datetime({ offset: true }),
  database: z.enum(['connected', 'disconnected']),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** HTTP status that goes with a health body: only a fully healthy body is a 200. */
export function healthHttpStatus(body: Pick<HealthResponse, 'status' | 'database'>): 200 | 503 {
  return body.status === 'ok' && body.database === 'connected' ? 200 : 503;
}
