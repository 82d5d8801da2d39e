import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { REQUEST_LOG_COLUMN_LENGTHS } from '../requests/request-log-columns';

/**
 * An incoming X-Request-Id is kept when it is plain and fits the request log's column, else a
 * UUID is made.
 */
const SAFE_REQUEST_ID = new RegExp(`^[\\w.:-]{1,${REQUEST_LOG_COLUMN_LENGTHS.requestId}}$`);

export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
