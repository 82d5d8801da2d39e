import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

const ERROR_KEYS = ['error', 'message', 'statusCode'];
const keysOf = (body: object) => Object.keys(body).sort();

describe('error responses', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: { BODY_LIMIT_BYTES: '1024', REQUEST_LOG_ENABLED: 'false' },
    });
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  describe('for every status the API answers with', () => {
    it.each([
      [
        'malformed JSON',
        { method: 'POST', url: '/api/requests', payload: '{"broken":' },
        400,
        'Bad Request',
      ],
      [
        'a body over BODY_LIMIT_BYTES',
        { method: 'POST', url: '/api/requests', payload: JSON.stringify({ f: 'x'.repeat(2048) }) },
        413,
        'Payload Too Large',
      ],
      ['an unknown route', { method: 'GET', url: '/does/not/exist' }, 404, 'Not Found'],
    ] as const)('%s: exactly {statusCode, error, message}', async (_, request, status, error) => {
      // Act
      const response = await api.inject({
        ...request,
        headers: { 'content-type': 'application/json' },
      });

      // Assert
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json();
      expect(keysOf(body)).toEqual(ERROR_KEYS);
      expect(body).toMatchObject({ statusCode: status, error, message: expect.any(String) });
    });

    it('a bad parameter: the same keys plus the problems naming it', async () => {
      // Act
      const body = (await api.inject({ url: '/api/requests?limit=0x10' })).json();

      // Assert
      expect(keysOf(body)).toEqual([...ERROR_KEYS, 'problems'].sort());
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('over the rate limit: 429 with the same keys', async () => {
      // Arrange: an app of its own, so spending its budget leaves the others' requests alone
      const limited = await startTestApp(db.url, {
        env: { RATE_LIMIT_MAX: '3', REQUEST_LOG_ENABLED: 'false' },
      });
      try {
        // Act
        let response;
        do response = await limited.inject({ url: '/api/requests/stats' });
        while (response.statusCode !== 429);

        // Assert
        expect(keysOf(response.json())).toEqual(ERROR_KEYS);
        expect(response.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      } finally {
        await limited.close();
      }
    });
  });

  describe('when a query fails for a reason that is not the client', () => {
    it('answers 500 with exactly {statusCode, error, message} and no detail of the cause', async () => {
      // Arrange: a second app on a database that lost its table
      const broken = await createTestDatabase();
      const app = await startTestApp(broken.url, { env: { REQUEST_LOG_ENABLED: 'false' } });
      await broken.query('DROP TABLE request_log');
      try {
        // Act
        const response = await app.inject({ url: '/api/requests' });

        // Assert
        expect(response.statusCode).toBe(500);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.json()).toEqual({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'Internal server error',
        });
      } finally {
        await app.close();
        await broken.drop();
      }
    });
  });

  describe('the OpenAPI document', () => {
    let document: {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, Record<string, unknown>> };
    };

    beforeAll(async () => {
      document = (await api.inject({ url: '/docs-json' })).json();
    });

    it('describes the bearer token without claiming it is a JWT', () => {
      expect(document.components.securitySchemes.bearer).toEqual({
        type: 'http',
        scheme: 'bearer',
      });
    });

    it.each(['/api/requests', '/api/requests/stats'])(
      'lists every error status of %s with the error body',
      (path) => {
        const { responses } = document.paths[path].get;

        expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '429', '500', '503']);
        for (const status of ['400', '401', '429', '500', '503']) {
          expect(JSON.stringify(responses[status])).toContain('ErrorResponseDto');
        }
      },
    );
  });
});
