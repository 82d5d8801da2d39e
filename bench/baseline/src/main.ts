/**
 * The baseline: what a user builds from the NestJS and Terminus docs. Default Express adapter,
 * Nest's default logger, shutdown hooks on (the Terminus docs ask for them), nothing tuned.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(process.env.PORT ?? 3000, process.env.HOST ?? '0.0.0.0');
}

void bootstrap();
