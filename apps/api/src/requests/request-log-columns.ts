/**
 * request_log's columns, defined once: the writer's INSERT (column list, array casts and
 * parameters), the string limits applied before buffering and the record type all come from here,
 * and a spec checks the migrated table against it (migrations are history and stay as written).
 * `id` is not here: PostgreSQL generates it.
 */
export const REQUEST_LOG_COLUMNS = [
  { property: 'method', column: 'method', type: 'varchar', length: 16 },
  /** The route template (`/api/requests`), never the raw path. */
  { property: 'route', column: 'route', type: 'varchar', length: 255 },
  { property: 'statusCode', column: 'status_code', type: 'int2' },
  { property: 'durationMs', column: 'duration_ms', type: 'float8' },
  { property: 'requestId', column: 'request_id', type: 'varchar', length: 128 },
  /** When the request arrived. */
  { property: 'createdAt', column: 'created_at', type: 'timestamptz' },
] as const;

type Column = (typeof REQUEST_LOG_COLUMNS)[number];

/** TypeScript's value for each PostgreSQL type the columns use. */
interface ValueOf {
  varchar: string;
  int2: number;
  float8: number;
  timestamptz: Date;
}

/** One served request, as the writer buffers and inserts it. */
export type RequestLogRecord = {
  [C in Column as C['property']]: ValueOf[C['type']];
};

type StringColumn = Extract<Column, { length: number }>;

/**
 * Sizes of the string columns, in characters. 16 holds every method Node's HTTP parser accepts (the
 * longest, UNSUBSCRIBE, has 11 characters).
 */
export const REQUEST_LOG_COLUMN_LENGTHS = Object.fromEntries(
  REQUEST_LOG_COLUMNS.filter((c): c is StringColumn => 'length' in c).map((c) => [
    c.property,
    c.length,
  ]),
) as { readonly [C in StringColumn as C['property']]: C['length'] };
