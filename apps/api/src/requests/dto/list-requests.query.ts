import { z } from 'zod';

import { decodeCursor } from '../request-cursor';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Query of GET /api/requests. Unknown parameters are errors, so typos do not pass silently. */
export const listRequestsQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .int({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .min(1, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .max(MAX_PAGE_SIZE, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string({ error: 'must be the nextCursor of a previous page' })
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (!cursor)
        ctx.addIssue({ code: 'custom', message: 'must be the nextCursor of a previous page' });
      return cursor;
    })
    .optional(),
  route: z
    .string({ error: 'must be a route template such as /api/requests' })
    .min(1, { error: 'must not be empty' })
    .max(255, { error: 'must be at most 255 characters' })
    .optional(),
  status: z.coerce
    .number({ error: 'must be an HTTP status code from 100 to 599' })
    .int({ error: 'must be an HTTP status code from 100 to 599' })
    .min(100, { error: 'must be an HTTP status code from 100 to 599' })
    .max(599, { error: 'must be an HTTP status code from 100 to 599' })
    .optional(),
  since: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2025-01-31T12:00:00Z' })
    .optional(),
});

export type ListRequestsQuery = z.output<typeof listRequestsQuerySchema>;
