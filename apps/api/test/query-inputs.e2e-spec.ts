import fc from 'fast-check';

import { encodeCursor } from '../src/requests/request-cursor';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

/**
 * Property: whatever a client puts in the query string, the API answers with a 2xx or a 4xx,
 * never a 5xx (each would count against the deploy alarm). Random values and the edges that
 * once reached PostgreSQL (year 0000, offsets past ±15:59, ids past bigint, NUL) go to the real
 * API on the real database. Runs are bounded so the spec stays a unit of `npm test`.
 */
const RUNS = 200;

/** A value either as text (URL-encoded when sent) or as raw percent-encoded bytes. */
type QueryValue = { readonly text: string } | { readonly raw: string };

const text = (arbitrary: fc.Arbitrary<string>): fc.Arbitrary<QueryValue> =>
  arbitrary.map((value) => ({ text: value }));

const rawBytes: fc.Arbitrary<QueryValue> = fc
  .uint8Array({ minLength: 1, maxLength: 12 })
  .map((bytes) => ({
    raw: Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  }));

const anyText = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s).toString()); // lone surrogates become U+FFFD, as on the wire

const integerLike = fc.oneof(
  fc.nat().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '0x10',
    '1e2',
    '+5',
    ' 5',
    '5 ',
    '-1',
    '007',
    '5.0',
    'NaN',
    'Infinity',
    '9'.repeat(40),
  ),
);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Date-times around and beyond every bound: calendar, clock, fraction digits, offset. */
const dateTimeLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 1, 9999)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.stringMatching(/^(\.\d{1,12})?$/),
    offset: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 24 }),
          fc.integer({ min: 0, max: 61 }),
        )
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (d) =>
      `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)}${d.fraction}${d.offset}`,
  );

const idLike = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
  fc.constantFrom('9223372036854775807', '9223372036854775808', '0'),
);

const cursorLike = fc.oneof(
  fc.tuple(dateTimeLike, idLike).map(([createdAt, id]) => encodeCursor({ createdAt, id })),
  anyText,
);

/**
 * Each parameter is absent, valid (most often, so the others reach the database), an edge
 * value, random text or raw bytes.
 */
const parameter = (valid: fc.Arbitrary<string>, ...hostile: fc.Arbitrary<string>[]) =>
  fc.option(
    fc.oneof(
      { arbitrary: text(valid), weight: 3 },
      ...hostile.map((arbitrary) => ({ arbitrary: text(arbitrary), weight: 1 })),
      { arbitrary: text(anyText), weight: 1 },
      { arbitrary: rawBytes, weight: 1 },
    ),
    { nil: undefined, freq: 3 },
  );

const recentDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z') })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString());

const listQuery = fc.record({
  limit: parameter(fc.integer({ min: 1, max: 500 }).map(String), integerLike),
  status: parameter(fc.integer({ min: 100, max: 599 }).map(String), integerLike),
  since: parameter(recentDate, dateTimeLike),
  cursor: parameter(
    fc
      .tuple(recentDate, fc.nat())
      .map(([at, id]) => encodeCursor({ createdAt: at.replace(/Z$/, '000Z'), id: String(id) })),
    cursorLike,
  ),
  route: parameter(fc.constant('/api/requests'), fc.constantFrom('\0', '/api/\0', 'x'.repeat(300))),
});

const statsQuery = fc.record({
  window: parameter(
    fc
      .tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('s', 'm', 'h', 'd'))
      .map(([n, unit]) => `${n}${unit}`),
    fc
      .tuple(integerLike, fc.constantFrom('s', 'm', 'h', 'd', 'w', ''))
      .map(([n, unit]) => `${n}${unit}`),
  ),
});

function urlOf(path: string, query: Record<string, QueryValue | undefined>): string {
  const parts = Object.entries(query).flatMap(([key, value]) =>
    value === undefined
      ? []
      : [`${key}=${'raw' in value ? value.raw : encodeURIComponent(value.text)}`],
  );
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

describe('query parameters (property: no input yields a 5xx)', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: { RATE_LIMIT_MAX: '1000000', REQUEST_LOG_ENABLED: 'false' },
    });
    await db.query(
      `INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
       SELECT 'GET', '/api/requests', 200, n, 'fixture-' || n, now() - n * interval '1 minute'
         FROM generate_series(1, 50) AS n`,
    );
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const answersWithout5xx = async (url: string) => {
    const response = await api.inject({ url });
    if (response.statusCode >= 500) {
      throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
    }
    expect(response.json()).toEqual(
      response.statusCode === 200
        ? expect.any(Object)
        : expect.objectContaining({ statusCode: response.statusCode, error: expect.any(String) }),
    );
  };

  it('GET /api/requests answers every query with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(listQuery, (query) => answersWithout5xx(urlOf('/api/requests', query))),
      { numRuns: RUNS },
    );
  });

  it('GET /api/requests/stats answers every query with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(statsQuery, (query) =>
        answersWithout5xx(urlOf('/api/requests/stats', query)),
      ),
      { numRuns: RUNS },
    );
  });
});
