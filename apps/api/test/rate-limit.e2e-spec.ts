import { randomInt } from 'node:crypto';
import type { Agent } from 'node:http';

import { type HttpAnswer, keepAliveAgent, send } from './support/http-client';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { PRODUCTION_TOKEN, type TestApp, productionEnv, startTestApp } from './support/test-app';

const LIMIT = 40;
const REQUESTS = 400;
const authorized = { authorization: `Bearer ${PRODUCTION_TOKEN}` };

/** An address a client might write into X-Forwarded-For to pass for someone else. */
const randomAddress = () =>
  `${randomInt(1, 224)}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** Status codes of `count` requests, in order, over one keep-alive connection pool. */
async function statuses(
  count: number,
  next: (i: number) => Promise<HttpAnswer>,
): Promise<Record<number, number>> {
  const tally: Record<number, number> = {};
  for (let i = 0; i < count; i += 1) {
    const { status } = await next(i);
    tally[status] = (tally[status] ?? 0) + 1;
  }
  return tally;
}

/**
 * The API in production mode on a real port, behind simulated proxies: the test's socket is the
 * ALB (127.0.0.1), and each request carries the X-Forwarded-For the edge would deliver, a
 * client-written part on the left of what the proxies appended.
 */
describe('rate limit (production mode, over HTTP)', () => {
  let db: TestDatabase;
  let agent: Agent;

  beforeAll(async () => {
    db = await createTestDatabase();
    agent = keepAliveAgent();
  });

  afterAll(async () => {
    agent.destroy();
    await db.drop();
  });

  describe.each([
    {
      hops: 1,
      edge: 'an ALB (it appends the peer it saw)',
      forwardedFor: (spoofed: string, client: string) => `${spoofed}, ${client}`,
    },
    {
      hops: 2,
      edge: 'CloudFront and an ALB (the viewer, then the CloudFront edge address)',
      forwardedFor: (spoofed: string, client: string) => `${spoofed}, ${client}, 130.176.24.17`,
    },
  ])('with TRUSTED_PROXY_HOPS=$hops behind $edge', ({ hops, forwardedFor }) => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(db.url, {
        listen: true,
        env: productionEnv({
          TRUSTED_PROXY_HOPS: String(hops),
          RATE_LIMIT_MAX: String(LIMIT),
          REQUEST_LOG_ENABLED: 'false',
        }),
      });
    });

    afterAll(async () => {
      await api.close();
    });

    it(`limits ${REQUESTS} requests with random spoofed X-Forwarded-For values as one client`, async () => {
      // Act
      const tally = await statuses(REQUESTS, () =>
        send(api.url!, '/api/requests?limit=1', {
          agent,
          headers: {
            ...authorized,
            'x-forwarded-for': forwardedFor(
              `${randomAddress()}, ${randomAddress()}`,
              '198.51.100.7',
            ),
          },
        }),
      );

      // Assert
      expect(tally).toEqual({ 200: LIMIT, 429: REQUESTS - LIMIT });
    });

    it('limits an IPv6 client rotating through its own /64 as one client', async () => {
      // Act
      const tally = await statuses(LIMIT * 2, () =>
        send(api.url!, '/api/requests?limit=1', {
          agent,
          headers: {
            ...authorized,
            'x-forwarded-for': forwardedFor(
              randomAddress(),
              `2001:db8:7:9:${randomInt(0, 0xffff).toString(16)}::${randomInt(1, 0xffff).toString(16)}`,
            ),
          },
        }),
      );

      // Assert
      expect(tally).toEqual({ 200: LIMIT, 429: LIMIT });
    });

    it('gives another client behind the same proxies a budget of its own', async () => {
      // Act
      const other = await send(api.url!, '/api/requests?limit=1', {
        agent,
        headers: { ...authorized, 'x-forwarded-for': forwardedFor(randomAddress(), '203.0.113.9') },
      });

      // Assert
      expect(other.status).toBe(200);
    });
  });

  describe('with TRUSTED_PROXY_HOPS=0 (no proxy: the socket is the client)', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(db.url, {
        listen: true,
        env: productionEnv({ RATE_LIMIT_MAX: String(LIMIT), REQUEST_LOG_ENABLED: 'false' }),
      });
    });

    afterAll(async () => {
      await api.close();
    });

    it('ignores X-Forwarded-For altogether', async () => {
      // Act
      const tally = await statuses(LIMIT * 2, () =>
        send(api.url!, '/api/requests?limit=1', {
          agent,
          headers: { ...authorized, 'x-forwarded-for': randomAddress() },
        }),
      );

      // Assert
      expect(tally).toEqual({ 200: LIMIT, 429: LIMIT });
    });
  });

  describe('requests that never reach a handler', () => {
    let api: TestApp;

    beforeEach(async () => {
      api = await startTestApp(db.url, {
        listen: true,
        env: productionEnv({ RATE_LIMIT_MAX: String(LIMIT) }),
      });
    });

    afterEach(async () => {
      await api.close();
    });

    it.each([
      ['no token', {}],
      ['a wrong token', { authorization: 'Bearer guessed-token-0123456789' }],
    ])('a 401 flood (%s) turns into 429s', async (_, headers: Record<string, string>) => {
      // Act
      const tally = await statuses(REQUESTS, () =>
        send(api.url!, '/api/requests', { agent, headers }),
      );

      // Assert
      expect(tally).toEqual({ 401: LIMIT, 429: REQUESTS - LIMIT });
    });

    it('a 404 flood (path scanning) turns into 429s', async () => {
      // Act
      const tally = await statuses(REQUESTS, (i) =>
        send(api.url!, `/wp-admin/${i}.php`, { agent }),
      );

      // Assert
      expect(tally).toEqual({ 404: LIMIT, 429: REQUESTS - LIMIT });
    });

    it('health probes stay exempt once the budget is spent, and the API stays limited', async () => {
      // Arrange
      await statuses(LIMIT, () => send(api.url!, '/nothing-here', { agent }));

      // Act
      const probes = await statuses(LIMIT * 2, (i) =>
        send(api.url!, i % 2 === 0 ? '/health' : '/health/live', { agent }),
      );
      const read = await send(api.url!, '/api/requests', { agent, headers: authorized });

      // Assert
      expect(probes).toEqual({ 200: LIMIT * 2 });
      expect(read.status).toBe(429);
      expect(read.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(read.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    });
  });
});
