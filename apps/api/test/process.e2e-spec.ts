import { freePort } from '@prod-e/cli-kit';
import { parseLiveness } from '@prod-e/health-contract';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

import { type TestDatabase, createTestDatabase } from './support/test-database';
import { eventually } from './support/test-app';

/** The built bundle (`nx build api`; the test target depends on it). */
const MAIN = join(__dirname, '../../../dist/apps/api/main.js');

/** METRICS_PORT=0: the metrics listener takes a port the OS chooses, so runs never collide. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    ...extra,
  };
}

/** The built API on a free loopback port, migrating its own database at start. */
async function spawnApi(
  db: TestDatabase,
  extra: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: baseEnv({
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATIONS_RUN: 'true',
      ...extra,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, port };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface RawResponse {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/**
 * One keep-alive connection on which requests can be written at chosen moments (HTTP/1.1
 * pipelining): a request written while an earlier one is still running arrives on a busy
 * connection, which a draining server keeps open. `responses` resolves when the server closes it.
 */
function rawConnection(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  return {
    /** Resolves once a whole response head has arrived. */
    firstResponse: () =>
      new Promise<void>((resolve) => {
        const check = () => (data.includes('\r\n\r\n') ? resolve() : setTimeout(check, 10));
        check();
      }),
    send: (path: string) =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`),
    responses: async (): Promise<RawResponse[]> => {
      await closed;
      const parsed: RawResponse[] = [];
      let rest = data;
      while (rest.length > 0) {
        const end = rest.indexOf('\r\n\r\n');
        const head = rest.slice(0, end);
        const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
        parsed.push({ status, headers: head, body: rest.slice(end + 4, end + 4 + length) });
        rest = rest.slice(end + 4 + length);
      }
      return parsed;
    },
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nx build api\` first`);
});

describe('node dist/apps/api/main.js', () => {
  describe('with invalid configuration', () => {
    it('prints every bad key and exits 1 without a stack trace', () => {
      // Act
      const result = spawnSync(process.execPath, [MAIN], {
        env: baseEnv({
          PORT: 'eighty',
          DB_POOL_MAX: '0',
          LOG_LEVEL: 'loud',
          CORS_ORIGINS: 'ftp://x',
        }),
        encoding: 'utf8',
      });

      // Assert
      expect(result.status).toBe(1);
      for (const key of [
        'PORT',
        'DB_POOL_MAX',
        'LOG_LEVEL',
        'CORS_ORIGINS',
        'DB_HOST',
        'DB_NAME',
      ]) {
        expect(result.stderr).toContain(`- ${key}:`);
      }
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });
  });

  describe('with its metrics port taken', () => {
    it('exits 1 naming METRICS_PORT', async () => {
      // Arrange: something else listening on the metrics port
      const db = await createTestDatabase();
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const { port } = taken.address() as AddressInfo;
      try {
        // Act
        const child = spawn(process.execPath, [MAIN], {
          env: baseEnv({
            DATABASE_URL: db.url,
            HOST: '127.0.0.1',
            PORT: String(await freePort()),
            METRICS_PORT: String(port),
          }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const code = await exitOf(child);

        // Assert
        expect(code).toBe(1);
        expect(stderr).toContain(`metrics listener (METRICS_PORT=${port}): listen EADDRINUSE`);
      } finally {
        await new Promise((resolve) => taken.close(resolve));
        await db.drop();
      }
    });
  });

  describe('migrate --dry-run', () => {
    it('lists the pending migrations and exits 0', async () => {
      // Arrange
      const db = await createTestDatabase();
      try {
        // Act
        const result = spawnSync(process.execPath, [MAIN, 'migrate', '--dry-run'], {
          env: baseEnv({ DATABASE_URL: db.url }),
          encoding: 'utf8',
        });

        // Assert
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('pending: CreateRequestLog1764460800000');
      } finally {
        await db.drop();
      }
    });
  });

  describe('on SIGTERM', () => {
    let db: TestDatabase;
    let child: ChildProcess | undefined;

    beforeEach(async () => {
      db = await createTestDatabase();
    });

    afterEach(async () => {
      child?.kill('SIGKILL');
      child = undefined;
      await db.drop();
    });

    // with requests in flight
    it('finishes every in-flight request, answers liveness 503 while draining, flushes the request log and exits 0', async () => {
      // Arrange: a running API whose reads are stuck behind a table lock
      const started = await spawnApi(db, {
        DB_ANALYTICS_POOL_MAX: '5', // all five reads at once, so all five wait on the lock
      });
      child = started.child;
      const { port } = started;
      const exited = exitOf(child);
      await eventually(
        () => get(port, '/health').catch(() => ({ status: 0, body: '' })),
        (r) => r.status === 200,
        30_000,
        100,
      );
      const locker = new Client({ connectionString: db.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE request_log IN ACCESS EXCLUSIVE MODE');
      // Four plain requests, and a fifth on a connection that stays busy through the drain;
      // distinct pages, since identical reads would share one query.
      const inFlight = Array.from({ length: 4 }, (_, i) =>
        get(port, `/api/requests?limit=${i + 1}`),
      );
      const busy = rawConnection(port);
      busy.send('/api/requests?limit=5');
      await eventually(
        async () =>
          (
            await db.query<{ n: number }>(
              // This test's database only: other suites share the server and lock tables too.
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'prod-e-api%' AND wait_event_type = 'Lock'",
            )
          )[0].n,
        (n) => n >= 5,
        30_000, // a bound, not a speed target: five connections on a loaded machine
      );

      // Act
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      busy.send('/health/live'); // arrives during the drain, behind the blocked read
      await locker.query('COMMIT');
      await locker.end();
      const [busyRead, liveWhileDraining] = await busy.responses();
      const responses = [...(await Promise.all(inFlight)), busyRead];
      const code = await exited;

      // Assert
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(liveWhileDraining.status).toBe(503);
      expect(liveWhileDraining.headers).toMatch(/^connection: close$/im);
      expect(parseLiveness(liveWhileDraining.body)).toMatchObject({
        ok: true,
        value: { status: 'shutting_down' },
      });
      expect(code).toBe(0);
      const [{ n }] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM request_log WHERE route = '/api/requests'",
      );
      expect(n).toBe(5);
    });

    // with an idle keep-alive connection
    it('answers a request sent on it after SIGTERM with Connection: close, then logs one line at drain start and one at exit', async () => {
      // Arrange: a running API and a keep-alive connection that has served one request
      const started = await spawnApi(db, {
        LOG_LEVEL: 'info',
        SHUTDOWN_DRAIN_GRACE_MS: '3000',
        REQUEST_LOG_FLUSH_INTERVAL_MS: '60000',
      });
      child = started.child;
      const { port } = started;
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = exitOf(child);
      await eventually(
        () => get(port, '/health').catch(() => ({ status: 0, body: '' })),
        (r) => r.status === 200,
        30_000,
        100,
      );
      const keptAlive = rawConnection(port);
      keptAlive.send('/api/requests?limit=1');
      await keptAlive.firstResponse(); // the socket is idle from here

      // Act: SIGTERM; once the drain has begun, the idle connection is used again
      child.kill('SIGTERM');
      await eventually(
        () => Promise.resolve(stdout),
        (text) => text.includes('draining:'),
        10_000,
        10,
      );
      keptAlive.send('/api/requests?limit=1');
      const responses = await keptAlive.responses();
      const newConnection = await get(port, '/health/live').then(
        () => 'accepted',
        (error: NodeJS.ErrnoException) => error.code,
      );
      const code = await exited;

      // Assert
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(responses[0].headers).not.toMatch(/^connection: close$/im);
      expect(responses[1].headers).toMatch(/^connection: close$/im);
      expect(newConnection).toBe('ECONNREFUSED');
      expect(code).toBe(0);
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).msg as string);
      expect(lines.filter((msg) => msg.startsWith('draining:'))).toEqual([
        expect.stringMatching(/^draining: 0 requests in flight, 1 connections open/),
      ]);
      expect(lines.filter((msg) => msg.startsWith('shut down:'))).toEqual([
        expect.stringMatching(
          /^shut down: 1 requests drained, 2 request log rows flushed, 0 dropped since start/,
        ),
      ]);
      const [{ n }] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM request_log WHERE route = '/api/requests'",
      );
      expect(n).toBe(2);
    });
  });
});
