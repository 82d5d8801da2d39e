import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

import { HEALTH_PATH, LIVENESS_PATH, METRICS_PATH } from '@prod-e/health-contract/endpoints';

import { API_PREFIX } from '../app/routes';
import { runBundle } from './bundle-loader';
import { writeCodeCache } from './code-cache';

/** Requests that run the per-request code: hooks, auth (401 and 200), handlers, errors (503, 404). */
const WARM_UP_PATHS = [
  LIVENESS_PATH,
  HEALTH_PATH,
  `${API_PREFIX}/requests?limit=10`,
  `${API_PREFIX}/requests/stats`,
  '/not-found',
];
const WARM_UP_ROUNDS = 3;
const START_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** What the warm-up keeps of the environment it runs in: nothing that configures the API. */
const KEPT_ENV = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'];

/** A port nothing listens on right now (the OS picks it, then it is released). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForLiveness(baseUrl: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const live = await fetch(`${baseUrl}${LIVENESS_PATH}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not answer ${LIVENESS_PATH} within ${START_TIMEOUT_MS} ms`);
}

/**
 * `node main.js write-code-cache`, run once at image build (docker/api.Dockerfile) by the Node.js
 * that will run the server: starts the server bundle in this process in production mode, on a
 * loopback port, against a database port nothing listens on (the API starts without its
 * database and answers /health 503), sends every kind of request a few times, then saves the
 * code cache and exits. A bundle that cannot start fails the image build here. The environment is
 * replaced (KEPT_ENV aside), so the cache is the same wherever it is written.
 */
export async function writeCodeCacheAfterWarmUp(serverBundle: string): Promise<void> {
  const [port, metricsPort, databasePort] = [
    await unusedPort(),
    await unusedPort(),
    await unusedPort(),
  ];
  const token = randomBytes(32).toString('hex');
  // The same configuration wherever it runs: a DB_* or API_AUTH=off from a shell or an Nx .env
  // would make the config invalid next to DATABASE_URL, or warm other code.
  for (const key of Object.keys(process.env)) if (!KEPT_ENV.includes(key)) delete process.env[key];
  Object.assign(process.env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    DATABASE_URL: `postgres://warm-up@127.0.0.1:${databasePort}/warm-up`,
    DB_SSL: 'disable',
    API_TOKENS: token,
    LOG_LEVEL: 'silent',
    MIGRATIONS_RUN: 'false',
  });
  process.argv.splice(2); // the server reads its command from argv: serve

  const bundle = runBundle(serverBundle, { useCache: false });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForLiveness(baseUrl);
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
    for (const path of WARM_UP_PATHS) {
      for (const headers of [{}, { authorization: `Bearer ${token}` }] as Record<
        string,
        string
      >[]) {
        const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
        await fetch(`${baseUrl}${path}`, { headers, signal }).then((response) =>
          response.arrayBuffer(),
        );
      }
    }
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    await fetch(`http://127.0.0.1:${metricsPort}${METRICS_PATH}`, { signal }).then((response) =>
      response.arrayBuffer(),
    );
  }
  const written = writeCodeCache(bundle.file, bundle.source, bundle.script.createCachedData());
  const paths = [...WARM_UP_PATHS, `${METRICS_PATH} (metrics port)`].join(', ');
  console.log(`wrote ${written} after ${WARM_UP_ROUNDS} rounds of ${paths}`);
}
