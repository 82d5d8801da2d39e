import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { PRODUCTION_TOKEN, type TestApp, productionEnv, startTestApp } from './support/test-app';

/** A distinct secret per way in, so a leak names its way. */
const secret = (way: string) => `leak-${way}-${'0123456789abcdef'.repeat(2)}`;

/** Every way a credential can travel in a request: header name or query parameter → value. */
const HEADER_WAYS = {
  authorization: `Bearer ${secret('authorization')}`,
  'proxy-authorization': `Basic ${secret('proxy-authorization')}`,
  'x-api-key': secret('x-api-key'),
  cookie: `session=${secret('cookie')}`,
  'set-cookie': `session=${secret('set-cookie')}`,
};
const QUERY_WAYS = [
  'access_token',
  'token',
  'api_key',
  'apiKey',
  'password',
  'client_secret',
  'X-Amz-Security-Token',
  'access%5Ftoken',
];

describe('log redaction (production mode)', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      captureLogs: 'debug',
      env: productionEnv({ REQUEST_LOG_FLUSH_INTERVAL_MS: '60000' }),
    });
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('never writes a credential to the log or the request log, whichever way it was sent', async () => {
    // Act: each header on a guarded route (accepted and refused), on an unknown route, and on
    // health; each query parameter beside a real one
    for (const url of ['/api/requests?limit=1', '/wp-login.php', '/health']) {
      for (const [header, value] of Object.entries(HEADER_WAYS)) {
        await api.inject({ url, headers: { [header]: value } });
        await api.inject({
          url,
          headers: { [header]: value, authorization: `Bearer ${PRODUCTION_TOKEN}` },
        });
      }
    }
    for (const name of QUERY_WAYS) {
      await api.inject({
        url: `/api/requests?limit=1&${name}=${secret(name)}`,
        headers: { authorization: `Bearer ${PRODUCTION_TOKEN}` },
      });
      await api.inject({ url: `/wp-login.php?${name}=${secret(name)}&user=admin` });
    }
    await api.app.get(RequestLogWriter).flush();
    const logText = api.logs.join('');
    const rows = JSON.stringify(await db.query('SELECT * FROM request_log'));

    // Assert
    const leaks = [...Object.keys(HEADER_WAYS), ...QUERY_WAYS, 'production']
      .map((way) => (way === 'production' ? PRODUCTION_TOKEN : secret(way)))
      .filter((value) => logText.includes(value) || rows.includes(value));
    expect(leaks).toEqual([]);
    // ...while the lines still say what was asked, with the value censored
    expect(logText).toContain('"url":"/api/requests?limit=1&access_token=[redacted]"');
    expect(logText).toContain('"url":"/wp-login.php?api_key=[redacted]&user=admin"');
    expect(logText).toContain('"x-api-key":"[redacted]"');
    expect(logText).toContain('"proxy-authorization":"[redacted]"');
  });
});
