import { ShutdownState } from '../src/services/lifecycle/shutdown-state.service';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { PRODUCTION_TOKEN, type TestApp, productionEnv, startTestApp } from './support/test-app';

const authorized = { authorization: `Bearer ${PRODUCTION_TOKEN}` };

/** Health, API and error answers are per request: no cache may keep one. */
describe('Cache-Control: no-store (production mode)', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: productionEnv({ RATE_LIMIT_MAX: '20', BODY_LIMIT_BYTES: '1024' }),
    });
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it.each([
    ['200 /health', { url: '/health' }, 200],
    ['200 /health/live', { url: '/health/live' }, 200],
    ['200 /api/requests', { url: '/api/requests', headers: authorized }, 200],
    ['200 /api/requests/stats', { url: '/api/requests/stats', headers: authorized }, 200],
    ['400 a bad parameter', { url: '/api/requests?limit=0', headers: authorized }, 400],
    ['401 no token', { url: '/api/requests' }, 401],
    ['404 an unknown route', { url: '/nothing/here' }, 404],
    [
      '413 an oversized body',
      {
        method: 'POST' as const,
        url: '/api/requests',
        headers: { ...authorized, 'content-type': 'application/json' },
        payload: JSON.stringify({ filler: 'x'.repeat(2048) }),
      },
      413,
    ],
  ])('%s', async (_, request, status) => {
    // Act
    const response = await api.inject(request);

    // Assert
    expect(response.statusCode).toBe(status);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('429 once the budget is spent', async () => {
    // Act
    let response = await api.inject({ url: '/nothing/here' });
    while (response.statusCode !== 429) response = await api.inject({ url: '/nothing/here' });

    // Assert
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('503 from health while draining', async () => {
    // Arrange
    const own = await createTestDatabase();
    const draining = await startTestApp(own.url, { env: productionEnv() });
    draining.app.get(ShutdownState).beforeApplicationShutdown();

    try {
      // Act
      const answers = await Promise.all(
        ['/health', '/health/live'].map((url) => draining.inject({ url })),
      );

      // Assert
      expect(answers.map((r) => [r.statusCode, r.headers['cache-control']])).toEqual([
        [503, 'no-store'],
        [503, 'no-store'],
      ]);
    } finally {
      await draining.close();
      await own.drop();
    }
  });
});
