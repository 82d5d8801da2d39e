import { type ApiConfig, ConfigError, loadApiConfig } from '@prod-e/api-config';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AppModule } from './app/app.module';
import { configureApp } from './app/configure-app';
import { createFastifyAdapter } from './app/fastify-adapter';
import { RequestLogWriter } from './requests/request-log.writer';
import { HttpDrain } from './services/lifecycle/http-drain';
import { migrateCommand } from './services/migrations/migrate-command';

/** The one line a stopped process leaves: what the drain answered and the request log kept. */
function shutdownSummary(app: NestFastifyApplication): string {
  const { flushedAtShutdown, dropped } = app.get(RequestLogWriter).totals;
  const droppedTotal = Object.values(dropped).reduce((sum, n) => sum + n, 0);
  const byReason = Object.entries(dropped)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return (
    `shut down: ${app.get(HttpDrain).drained} requests drained, ` +
    `${flushedAtShutdown} request log rows flushed, ${droppedTotal} dropped since start (${byReason})`
  );
}

/**
 * On SIGTERM/SIGINT: Nest's shutdown (liveness turns 503, HttpDrain answers what is in flight
 * and what arrives on open connections, the request log flushes, the pools close), one summary
 * line, exit 0. A shutdown that outlives SHUTDOWN_TIMEOUT_MS (a stuck database) exits 1.
 */
function stopOnSignals(app: NestFastifyApplication, config: ApiConfig): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      console.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    logger.log(`${signal} received`);
    app.close().then(
      () => {
        logger.log(shutdownSummary(app));
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);
}

async function serve(config: ApiConfig): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  await configureApp(app, config);
  stopOnSignals(app, config);
  await app.listen({ port: config.port, host: config.host });
  // The version is in the log, not in the public health bodies.
  new Logger('Bootstrap').log(
    `listening on http://${config.host}:${config.port} (version ${config.version})`,
  );
}

/** `node main.js` serves; `node main.js migrate [--dry-run]` applies (lists) migrations. */
async function main(args: string[]): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadApiConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message); // every bad key, no stack trace
    process.exit(1);
  }
  const [command, ...rest] = args;
  if (command === 'migrate') {
    process.exitCode = await migrateCommand(config, rest);
    return;
  }
  if (command !== undefined) {
    console.error(
      `unknown command: ${command}\nusage: node main.js [migrate [--dry-run] | write-code-cache]`,
    );
    process.exit(1);
  }
  await serve(config);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
