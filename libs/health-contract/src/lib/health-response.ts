import { z } from 'zod';

/** Terminus's per-indicator detail (`{ database: { status: 'up' } }`), which may ride along. */
const indicatorResults = z.record(z.string(), z.looseObject({ status: z.string() }));

/**
 * `GET /health`: `{"status":"ok","timestamp":"…","database":"connected"}` with 200,
 * or `status: "error"`, `database: "disconnected"` with 503. Unknown keys are allowed so the API can
 * add detail without breaking older clients.
 */
export const healthResponseSchema = z.looseObject({
  status: z.enum(['ok', 'error', 'shutting_down']),
  timestamp: z.iso.datetime({ offset: true }),
  database: z.enum(['connected', 'disconnected']),
  version: z.string().optional(),
  info: indicatorResults.optional(),
  error: indicatorResults.optional(),
  details: indicatorResults.optional(),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** HTTP status that goes with a health body: only a fully healthy body is a 200. */
export function healthHttpStatus(body: Pick<HealthResponse, 'status' | 'database'>): 200 | 503 {
  return body.status === 'ok' && body.database === 'connected' ? 200 : 503;
}
