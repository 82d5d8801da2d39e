import { type ApiConfig } from '@prod-e/api-config';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

import { InjectApiConfig } from '../../config/api-config.module';

/** How often the drain re-checks its condition besides the request-end wake-ups. */
const POLL_MS = 50;

/**
 * The HTTP half of a graceful shutdown, run before Nest closes Fastify (whose close resets
 * every idle keep-alive connection at once). On SIGTERM it:
 * 1. stops accepting connections (the open ones stay);
 * 2. answers every request that arrives from then on with `Connection: close`, so each client
 *    learns on its next response that this connection is going away;
 * 3. waits until nothing is in flight and nothing has arrived for SHUTDOWN_DRAIN_GRACE_MS (a
 *    request sent on a keep-alive connection just after SIGTERM is answered, not reset), for
 *    at most half of SHUTDOWN_TIMEOUT_MS; past that, the connections still busy are closed.
 * Then Fastify's close finds only idle connections to close.
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private server: Server | undefined;
  private inFlight = 0;
  private draining = false;
  private drainedCount = 0;
  private lastEnd = 0;
  private wake: (() => void) | undefined;

  constructor(@InjectApiConfig() private readonly config: ApiConfig) {}

  /** Requests answered since the drain began (those in flight then included). */
  get drained(): number {
    return this.drainedCount;
  }

  /** Tracks every request of this Fastify instance; register before any hook that replies. */
  attach(fastify: FastifyInstance): void {
    this.server = fastify.server;
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.inFlight += 1;
      if (this.draining) void reply.header('connection', 'close');
      // 'close' fires once per response: sent, failed or abandoned by the client.
      reply.raw.once('close', () => this.requestEnded());
      done();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const server = this.server;
    const listening = server?.listening === true;
    const connections = listening ? await openConnections(server) : 0;
    this.logger.log(
      `draining: ${this.inFlight} requests in flight, ${connections} connections open; ` +
        'no new connections accepted',
    );
    // net.Server's close: stop accepting. http.Server's own close would also reset idle sockets.
    if (listening) NetServer.prototype.close.call(server, () => undefined);
    this.lastEnd = Date.now();
    // Without a listening server (tests use inject) no connection can bring a late request.
    const graceMs = listening ? this.config.shutdownDrainGraceMs : 0;
    const settled = await this.settle(graceMs, Date.now() + this.config.shutdownTimeoutMs / 2);
    if (!settled) {
      this.logger.warn(`drain deadline passed with ${this.inFlight} requests in flight; closing`);
      server?.closeAllConnections();
    }
  }

  /**
   * A request answered before Fastify saw it (the liveness fast path): counted as drained, and
   * the quiet period starts again, as for Fastify's own.
   */
  recordAnswered(): void {
    if (this.draining) this.drainedCount += 1;
    this.lastEnd = Date.now();
    this.wake?.();
  }

  private requestEnded(): void {
    this.inFlight -= 1;
    this.recordAnswered();
  }

  /** True once idle for graceMs, false when the deadline comes first. */
  private async settle(graceMs: number, deadline: number): Promise<boolean> {
    for (;;) {
      const now = Date.now();
      const quietFor = now - this.lastEnd;
      if (this.inFlight === 0 && quietFor >= graceMs) return true;
      if (now >= deadline) return false;
      const waitMs = Math.min(this.inFlight === 0 ? graceMs - quietFor : POLL_MS, deadline - now);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, waitMs));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.getConnections((error, count) => resolve(error ? 0 : count)),
  );
}
