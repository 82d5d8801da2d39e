import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Knows whether a graceful shutdown has begun. Nest calls `beforeApplicationShutdown` before it
 * closes the HTTP server, so from then on liveness answers 503 while in-flight requests finish.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private draining = false;

  get isShuttingDown(): boolean {
    return this.draining;
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
