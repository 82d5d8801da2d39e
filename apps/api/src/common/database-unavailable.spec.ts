import { isDatabaseUnavailable, isLostConnection } from './database-unavailable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a server shutting down', withCode('57P01')],
    ['a cancelled statement (statement_timeout)', withCode('57014')],
    ['too many connections', withCode('53300')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a wrapped driver error',
      Object.assign(new Error('query failed'), { driverError: withCode('08006') }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', withCode('42601')],
    ['a unique violation', withCode('23505')],
    ['a programming error', new TypeError('x is undefined')],
    ['a non-error', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isLostConnection (which failed reads run again on a fresh connection)', () => {
  it.each([
    ['a session the server terminated (57P01)', { code: '57P01' }],
    ['a server crash (57P02)', { code: '57P02' }],
    ['a reset socket', { code: 'ECONNRESET' }],
    ['a broken pipe', { code: 'EPIPE' }],
    ['a socket closed under the query', new Error('Connection terminated unexpectedly')],
    [
      'a client already marked broken',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
  ])('%s: yes', (_, error) => {
    expect(isLostConnection(error)).toBe(true);
  });

  it.each([
    ['a statement timeout (57014)', { code: '57014' }],
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a server still starting (57P03)', { code: '57P03' }],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a query read timeout', new Error('Query read timeout')],
    ['a SQL error', { code: '42P01', message: 'relation "request_log" does not exist' }],
    ['not an error', 'Connection terminated unexpectedly'],
  ])('%s: no', (_, error) => {
    expect(isLostConnection(error)).toBe(false);
  });
});
