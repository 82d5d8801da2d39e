import { type ApiConfig, ConfigError, loadApiConfig } from '@prod-e/config';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AppModule } from './app/app.module';
import { configureApp } from './app/configure-app';
import { createFastifyAdapter } from './app/fastify-adapter';
import { migrateCommand } from './services/migrations/migrate-command';

/** Stops a shutdown that outlives SHUTDOWN_TIMEOUT_MS (a stuck request or database). */
function armShutdownDeadline(config: ApiConfig): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    });
  }
}

async function serve(config: ApiConfig): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  await configureApp(app, config);
  // On SIGTERM/SIGINT Nest runs the shutdown hooks (liveness turns 503, the server drains, the
  // request log flushes, the pool closes) and then exits with 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  armShutdownDeadline(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('Bootstrap').log(`listening on http://${config.host}:${config.port}`);
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
