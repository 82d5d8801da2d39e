/**
 * `nx serve api`: a development build of the API that webpack rebuilds on every change, and the
 * server restarted after each rebuild, against the embedded PostgreSQL of `nx run dev-db:start`
 * (or DATABASE_URL when set). Ctrl-C stops the server (it drains and flushes) and exits 0.
 */
import { join } from 'node:path';

import { type ApiEnv, loadApiConfig } from '@prod-e/api-config';
import { assertPortFree, runCli } from '@prod-e/cli-kit';
import { devDbSettings, devDbUrl, WORKSPACE_ROOT } from '@prod-e/dev-db';

import { ApiProcess } from './lib/api-process';
import { type BuildResult, watchBuild } from './lib/watch-build';

/**
 * Where development builds go: never dist/apps/api (the production build's), and one directory
 * per port, so two `nx serve api` on different ports never rebuild into each other.
 */
const devBuildDir = (port: number) => join(WORKSPACE_ROOT, 'tmp', 'serve', `api-${port}`);
const STOP_MARGIN_MS = 2_000;
/** The API's own port setting, which a second `nx serve api` changes. */
const PORT_KEY: keyof ApiEnv = 'PORT';
const METRICS_PORT_KEY: keyof ApiEnv = 'METRICS_PORT';

function apiEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: process.env.DATABASE_URL ?? devDbUrl(devDbSettings().port),
  };
}

async function main(): Promise<void> {
  const env = apiEnv();
  // Invalid settings exit 1 naming every bad key (the toolkit's handler prints ConfigError).
  const config = loadApiConfig(env);
  await assertPortFree(
    config.port,
    config.host,
    `Stop what listens there (another \`nx serve api\`?), or choose another port: ${PORT_KEY}=${config.port + 1} npx nx serve api`,
  );
  if (config.metricsEnabled) {
    await assertPortFree(
      config.metricsPort,
      config.host,
      `Stop what listens there (another \`nx serve api\`?), or choose another port: ${METRICS_PORT_KEY}=${config.metricsPort + 1} npx nx serve api`,
    );
  }
  const url = `http://localhost:${config.port}`;
  const buildDir = devBuildDir(config.port);
  const api = new ApiProcess(buildDir, env, config.shutdownTimeoutMs + STOP_MARGIN_MS, (code) =>
    console.error(`the API exited with code ${code}; fix the code and save to restart`),
  );
  let builds = 0;
  const onBuild = (result: BuildResult) => {
    if (!result.ok) {
      console.error(`build failed; the API keeps its last build\n${result.errors}`);
      return;
    }
    builds += 1;
    if (builds === 1) {
      console.log(`built in ${result.durationMs} ms; serving ${url} (docs at ${url}/docs)`);
      console.log(
        'watching the API and the libraries it uses; an edit rebuilds and restarts; Ctrl-C stops',
      );
      api.start();
    } else {
      console.log(`rebuilt in ${result.durationMs} ms; restarting ${url}`);
      void api.restart();
    }
  };
  const watcher = watchBuild(WORKSPACE_ROOT, buildDir, onBuild);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void Promise.all([watcher.close(), api.stop()]).then(() => process.exit(0));
    });
  }
}

void runCli('nx serve api', main);
