import { type ApiConfig } from '@prod-e/config';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { bearerAuthHook } from '../auth/bearer-auth.hook';
import { MetricsService } from '../metrics/metrics.service';
import { RequestLogWriter } from '../requests/request-log.writer';
import { routeOf } from './route-of';
import { DOCS_JSON_PATH, DOCS_PATH, isApiRoute, isOperationalRoute } from './routes';

/** The OpenAPI document of every route (served at /docs-json when DOCS_ENABLED). */
export function openApiDocument(app: NestFastifyApplication, config: ApiConfig) {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('prod-e API')
      .setDescription('Health, request log, metrics. Bearer token required when API_AUTH is on.')
      .setVersion(config.version)
      .addBearerAuth()
      .build(),
  );
}

/**
 * Everything around the controllers, shared by main.ts and the e2e tests so both run the same
 * app: security headers, CORS allow-list, rate limit on /api, bearer auth, request id echo,
 * metrics and request log hooks, Swagger, server timeouts. Call before `init()`/`listen()`.
 */
export async function configureApp(app: NestFastifyApplication, config: ApiConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  // Swagger UI runs inline bootstrap code; everything else stays on helmet's defaults.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({ origin: [...config.http.corsOrigins], methods: ['GET', 'HEAD'] });
  }
  // Health and metrics are exempt: a throttled probe would look like an outage.
  await app.register(rateLimit, {
    global: true,
    max: config.http.rateLimit.max,
    timeWindow: config.http.rateLimit.windowMs,
    allowList: (request) => !isApiRoute(routeOf(request)),
  });
  if (config.auth.enabled) fastify.addHook('onRequest', bearerAuthHook(config.auth.tokens));

  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = app.get(MetricsService);
  const requestLog = app.get(RequestLogWriter);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    const durationMs = reply.elapsedTime;
    metrics.observeRequest(request.method, route, reply.statusCode, durationMs / 1000);
    if (isOperationalRoute(route)) return;
    requestLog.record({
      method: request.method,
      route,
      statusCode: reply.statusCode,
      durationMs,
      requestId: request.id,
      createdAt: new Date(Date.now() - durationMs),
    });
  });

  if (config.docsEnabled) {
    SwaggerModule.setup(DOCS_PATH.slice(1), app, openApiDocument(app, config), {
      jsonDocumentUrl: DOCS_JSON_PATH.slice(1),
    });
  }

  // Above the ALB's 60 s idle timeout, or the ALB reuses connections Node already closed (502s).
  const server = app.getHttpServer();
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.headersTimeoutMs;
}
