import { type ApiConfig } from '@prod-e/api-config';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';

import { bearerAuthHook } from '../auth/bearer-auth.hook';
import { enableLivenessFastPath } from '../health/liveness-fast-path';
import { MetricsService } from '../metrics/metrics.service';
import { RequestLogWriter } from '../requests/request-log.writer';
import { HttpDrain } from '../services/lifecycle/http-drain';
import { ShutdownState } from '../services/lifecycle/shutdown-state.service';
import { HTTP_LOGGER, requestLoggingHook } from './request-logging';
import { routeOf } from './route-of';
import { SECURITY_HEADERS } from './security-headers';
import {
  DOCS_JSON_PATH,
  DOCS_PATH,
  isHealthRoute,
  isMeasuredRoute,
  isOperationalRoute,
} from './routes';

/**
 * Serves the OpenAPI document (/docs-json) and Swagger UI (/docs). SwaggerModule is imported
 * here, only when DOCS_ENABLED, so a start-up without docs does not load it.
 */
async function setupDocs(app: NestFastifyApplication, config: ApiConfig): Promise<void> {
  const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('prod-e API')
      .setDescription('Health and the request log. Bearer token required when API_AUTH is on.')
      .setVersion(config.version)
      // An opaque token from API_TOKENS, not a JWT: no bearerFormat to promise otherwise.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: undefined })
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH.slice(1),
  });
}

/**
 * One budget per client address (the plugin's default key: request.ip, TRUSTED_PROXY_HOPS from
 * the right of X-Forwarded-For (fastify-adapter.ts), an IPv6 address by its /64 prefix, so
 * rotating through one's own addresses buys nothing) for every request but health probes, as an instance-wide
 * onRequest hook ahead of bearer auth: 401s and unknown routes (404) spend it too, so neither
 * token guessing nor path scanning is free. Health is exempt: a throttled probe would look
 * like an outage.
 */
async function addRateLimit(app: NestFastifyApplication, config: ApiConfig): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    max: config.http.rateLimit.max,
    timeWindow: config.http.rateLimit.windowMs,
    allowList: (request) => isHealthRoute(routeOf(request)),
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', fastify.rateLimit());
}

/**
 * Everything around the controllers, shared by main.ts and the e2e tests so both run the same
 * app: security headers, CORS allow-list, rate limit, bearer auth, request id and Cache-Control
 * on every answer, metrics and request log hooks, Swagger, server timeouts. Call before `init()`/`listen()`.
 */
export async function configureApp(app: NestFastifyApplication, config: ApiConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  // First, so the drain counts (and answers during shutdown) every request, 401s and 429s too.
  const drain = app.get(HttpDrain);
  drain.attach(fastify);
  // Next, so requests that later hooks answer (401, 429) are logged too.
  fastify.addHook(
    'onRequest',
    requestLoggingHook(app.get<HttpLogger>(HTTP_LOGGER), await app.resolve(PinoLogger)),
  );

  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({ origin: [...config.http.corsOrigins], methods: ['GET', 'HEAD'] });
  }
  await addRateLimit(app, config);
  if (config.auth.enabled) fastify.addHook('onRequest', bearerAuthHook(config.auth.tokens));

  // Callback-style hooks, not async ones: no promise per request on every route.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // Health, API answers and errors are per request and may name a caller's data: no cache
    // (a CDN, a proxy, a browser) keeps them. A route that sets its own policy keeps it.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  const metrics = app.get(MetricsService);
  const requestLog = app.get(RequestLogWriter);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const durationMs = reply.elapsedTime;
    if (isMeasuredRoute(route)) {
      metrics.observeRequest(request.method, route, reply.statusCode, durationMs / 1000);
    }
    if (!isOperationalRoute(route)) {
      requestLog.record({
        method: request.method,
        route,
        statusCode: reply.statusCode,
        durationMs,
        requestId: request.id,
        createdAt: new Date(Date.now() - durationMs),
      });
    }
    done();
  });
  enableLivenessFastPath(app.getHttpServer(), {
    shutdown: app.get(ShutdownState),
    drain,
    cors: config.http.corsOrigins.length > 0,
  });

  if (config.docsEnabled) await setupDocs(app, config);

  // Above the ALB's 60 s idle timeout, or the ALB reuses connections Node already closed (502s).
  const server = app.getHttpServer();
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.headersTimeoutMs;
}
