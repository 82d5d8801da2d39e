import { z } from 'zod';

import { REQUEST_LOG_COLUMN_LENGTHS } from '../request-log-columns';
import { decodeCursor } from '../request-cursor';
import { decimalInteger, storableDateTime, storableText } from './query-values';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const LIMIT_ERROR = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
const STATUS_ERROR = 'must be an HTTP status code from 100 to 599';
const CURSOR_ERROR = 'must be the nextCursor of a previous page';
export const SINCE_ERROR =
  'must be an ISO-8601 date-time from year 0001 to 9999 with an offset within ±15:59, e.g. 2025-01-31T12:00:00Z';

/** Query of GET /api/requests. Unknown parameters are errors, so typos do not pass silently. */
export const listRequestsQuerySchema = z.strictObject({
  limit: decimalInteger(1, MAX_PAGE_SIZE, LIMIT_ERROR).default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string({ error: CURSOR_ERROR })
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (!cursor) ctx.addIssue({ code: 'custom', message: CURSOR_ERROR });
      return cursor;
    })
    .optional(),
  route: storableText(REQUEST_LOG_COLUMN_LENGTHS.route).optional(),
  status: decimalInteger(100, 599, STATUS_ERROR).optional(),
  since: storableDateTime(SINCE_ERROR).optional(),
});

export type ListRequestsQuery = z.output<typeof listRequestsQuerySchema>;
