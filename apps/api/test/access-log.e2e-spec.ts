import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';

import { type TestApp, startTestApp } from './support/test-app';
import { type TestDatabase, createTestDatabase } from './support/test-database';

interface AccessLine {
  readonly level: number;
  readonly msg: string;
  readonly req: { readonly id: string; readonly url: string };
  readonly res: { readonly statusCode: number };
}

const TOKEN = 'access-log-token-0123456789';

describe('access log (pino-http from a Fastify hook)', () => {
  let db: TestDatabase;
  let api: TestApp;

  const accessLines = (): AccessLine[] =>
    api.logs
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"req":'))
      .map((line) => JSON.parse(line) as AccessLine);

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      captureLogs: 'info',
      env: { API_AUTH: 'on', API_TOKENS: TOKEN },
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  beforeEach(() => api.logs.splice(0));

  it('writes one line per API request with the request id, status code and level', async () => {
    await api.inject({
      url: '/api/requests?limit=1',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'trace-0001' },
    });

    expect(accessLines()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: expect.objectContaining({ id: 'trace-0001', url: '/api/requests?limit=1' }),
        res: { statusCode: 200 },
      }),
    ]);
  });

  it('logs requests that a later hook answers (401 from bearer auth) as warnings', async () => {
    const response = await api.inject({ url: '/api/requests', headers: { 'x-request-id': 'x-2' } });

    expect(response.statusCode).toBe(401);
    expect(accessLines()).toEqual([
      expect.objectContaining({ level: 40, req: expect.objectContaining({ id: 'x-2' }) }),
    ]);
  });

  it('logs unmatched paths (404) too', async () => {
    await api.inject({ url: '/wp-login.php' });

    expect(accessLines().map((line) => line.res.statusCode)).toEqual([404]);
  });

  it('writes nothing for probes and scrapes', async () => {
    for (const url of [HEALTH_PATH, LIVENESS_PATH]) await api.inject({ url });
    await api.scrape();

    expect(accessLines()).toEqual([]);
  });
});
