import { REQUEST_LOG_COLUMN_LENGTHS, type RequestLogRecord } from './request-log-columns';

/** Characters PostgreSQL cannot store in text (NUL), or that a column must not hold. */
const NUL = /\0/g;

function fit(value: string, length: number): string {
  const clean = value.replace(NUL, '');
  return clean.length <= length ? clean : clean.slice(0, length);
}

/**
 * The entry with each string cut to its column (NULs removed): safe to INSERT as it is, so no
 * request can produce a row PostgreSQL rejects.
 */
export function boundedRecord(entry: RequestLogRecord): RequestLogRecord {
  return {
    ...entry,
    method: fit(entry.method, REQUEST_LOG_COLUMN_LENGTHS.method),
    route: fit(entry.route, REQUEST_LOG_COLUMN_LENGTHS.route),
    requestId: fit(entry.requestId, REQUEST_LOG_COLUMN_LENGTHS.requestId),
  };
}
