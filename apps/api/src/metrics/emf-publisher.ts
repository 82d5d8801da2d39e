import { type ApiConfig } from '@prod-e/api-config';
import { HEALTH_PATH } from '@prod-e/health-contract/endpoints';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { InjectApiConfig } from '../config/api-config.module';
import { type EmfDocument, intervalDocuments } from './emf-document';
import { CounterDeltas, readInterval } from './emf-interval';
import { MetricsService } from './metrics.service';

/** Where EMF lines go. stdout by default: the awslogs driver ships it to the container's log group. */
export interface EmfOutput {
  write(line: string): void;
}
export const EMF_OUTPUT = Symbol('EMF_OUTPUT');

const stdout: EmfOutput = { write: (line) => void process.stdout.write(line) };

/**
 * Publishes the API's own signals to CloudWatch with no agent and no IAM permission: every
 * METRICS_EMF_INTERVAL_MS it reads the Prometheus registry and writes Embedded Metric Format
 * lines (counters as increases over the interval, latency as a distribution per route), one
 * per route template and status class plus one for the process, straight to stdout, not through
 * pino (whose fields and pretty printing are not EMF). Before each read it asks its own
 * GET /health, as a load balancer would, so health and database-probe metrics exist whichever
 * endpoint the ECS and ALB checks call. On shutdown it writes the last, partial interval.
 */
@Injectable()
export class EmfPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EmfPublisher.name);
  private readonly deltas = new CounterDeltas();
  private timer: NodeJS.Timeout | undefined;
  /** Publishes one at a time: a shutdown flush waits for a tick in progress. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly metrics: MetricsService,
    @InjectApiConfig() private readonly config: ApiConfig,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(EMF_OUTPUT) private readonly output: EmfOutput = stdout,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.emf.enabled) return;
    this.timer = setInterval(() => void this.tick(), this.config.emf.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.config.emf.enabled) await this.publish();
  }

  /** One interval: the self health check, then the lines (returned too). */
  async tick(): Promise<EmfDocument[]> {
    await this.checkHealth();
    return this.publish();
  }

  /** Writes (and returns) the lines for everything since the previous call. */
  publish(): Promise<EmfDocument[]> {
    const next = this.running.then(async () => {
      const snapshot = await this.metrics.registry.getMetricsAsJSON();
      const documents = intervalDocuments(
        this.config.emf.namespace,
        Date.now(),
        readInterval(snapshot, this.deltas),
      );
      for (const document of documents) this.output.write(`${JSON.stringify(document)}\n`);
      return documents;
    });
    this.running = next.catch((error: unknown) =>
      this.logger.warn(`EMF metrics not written: ${(error as Error).message}`),
    );
    return next;
  }

  private async checkHealth(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    await fastify
      ?.inject({ method: 'GET', url: HEALTH_PATH })
      .catch((error: unknown) =>
        this.logger.warn(`EMF health check failed: ${(error as Error).message}`),
      );
  }
}
