import type { RequestLogRecord } from './request-log.entity';

/**
 * Column sizes of request_log's strings, in characters. The entity declares them from here, a
 * spec checks the migrated table against them, and `boundedRecord` fits every entry to them
 * before it is buffered, so no request can produce a row PostgreSQL rejects. 16 holds every
 * method Node's HTTP parser accepts (the longest, UNSUBSCRIBE, has 11 characters).
 */
export const REQUEST_LOG_COLUMN_LENGTHS = {
  method: 16,
  route: 255,
  request_id: 128,
} as const;

/** Characters PostgreSQL cannot store in text (NUL), or that a column must not hold. */
const NUL = /\0/g;

function fit(value: string, length: number): string {
  const clean = value.replace(NUL, '');
  return clean.length <= length ? clean : clean.slice(0, length);
}

/** The entry with each string cut to its column (NULs removed): safe to INSERT as it is. */
export function boundedRecord(entry: RequestLogRecord): RequestLogRecord {
  return {
    ...entry,
    method: fit(entry.method, REQUEST_LOG_COLUMN_LENGTHS.method),
    route: fit(entry.route, REQUEST_LOG_COLUMN_LENGTHS.route),
    requestId: fit(entry.requestId, REQUEST_LOG_COLUMN_LENGTHS.request_id),
  };
}
