/** PostgreSQL SQLSTATEs that mean "the database cannot serve now", not "the query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)|^57014$/; // connection, resources, shutdown, cancel
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/** node-postgres / pg-pool / TypeORM messages for the same situations. */
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|not connected|Driver not Connected|Cannot execute operation on .* connection/i;

/** True when an error says PostgreSQL is unreachable, overloaded or timing out (answer 503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (vm, Jest).
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError, name, message } = error as {
    code?: unknown;
    driverError?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))
  ) {
    return true;
  }
  if (name === 'CannotExecuteNotConnectedError' || UNAVAILABLE_MESSAGE.test(String(message))) {
    return true;
  }
  return driverError !== undefined && driverError !== error && isDatabaseUnavailable(driverError);
}

/**
 * Errors that say the connection was already gone when the statement went out on it: the
 * server terminated the session (57P01 admin shutdown, e.g. a credential rotation; 57P02 crash)
 * or the peer had forgotten the socket (reset, broken pipe, closed). Not timeouts or refused
 * connections: running those again would only add load to a database that is struggling.
 */
export function isLostConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === '57P01' || code === '57P02' || code === 'ECONNRESET' || code === 'EPIPE') {
    return true;
  }
  return /Connection terminated unexpectedly|Client has encountered a connection error/i.test(
    String(message),
  );
}
