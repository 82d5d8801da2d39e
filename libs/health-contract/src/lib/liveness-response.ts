import { z } from 'zod';

/**
 * `GET /health/live`: 200 `ok` while the process serves, 503 `shutting_down` once it drains.
 * Public like `/health`: these keys only.
 */
export const livenessResponseSchema = z.looseObject({
  status: z.enum(['ok', 'shutting_down']),
  timestamp: z.iso.datetime({ offset: true }),
});

export type LivenessResponse = z.infer<typeof livenessResponseSchema>;
