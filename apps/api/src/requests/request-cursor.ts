/** Position after the last row of a page: its exact created_at (microseconds) and id. */
export interface RequestCursor {
  readonly createdAt: string;
  readonly id: string;
}

import { fitsBigint, isStorableDateTime } from './dto/query-values';

/** Opaque to clients: base64url of `<created_at>|<id>`. */
export function encodeCursor(cursor: RequestCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

const DECODED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,19})$/;

/**
 * @returns the cursor, or undefined when the text is not one this API produced: a forged one
 * with a date or an id PostgreSQL cannot hold is refused here, not by the database.
 */
export function decodeCursor(text: string): RequestCursor | undefined {
  const match = DECODED.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match || !isStorableDateTime(match[1]) || !fitsBigint(match[2])) return undefined;
  return { createdAt: match[1], id: match[2] };
}
