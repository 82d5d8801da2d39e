import { type ApiConfig } from '@prod-e/api-config';
import { METRICS_PATH } from '@prod-e/health-contract/endpoints';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { errorBody } from '../common/error-body';
import { InjectApiConfig } from '../config/api-config.module';
import { MetricsService } from './metrics.service';

/** The path of a request target, undecoded: `/%6detrics` is not METRICS_PATH. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0];
}

/**
 * GET /metrics on a listener of its own (METRICS_PORT), apart from the API's port: no load
 * balancer listener forwards to it, so the internet never reaches it, whatever the path's
 * spelling, and the security group admits it only from where it is scraped. It answers without
 * a bearer token (a scraper holds no API token; docs/adr/0012-metrics-on-their-own-port.md).
 * It opens when the app starts and closes after the API's own port has drained, so a scrape
 * during the drain still sees its counters.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsService,
    @InjectApiConfig() private readonly config: ApiConfig,
  ) {}

  /** The port it listens on (the OS-chosen one when METRICS_PORT=0), once started. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => void this.answer(req, res));
    const { metricsPort, host } = this.config;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(new Error(`metrics listener (METRICS_PORT=${metricsPort}): ${error.message}`));
      server.once('error', fail);
      server.listen(metricsPort, host, () => {
        server.off('error', fail);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`metrics on http://${host}:${this.port}${METRICS_PATH}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    // A scraper's keep-alive connection would hold close() open; a cut scrape is simply retried.
    server.closeAllConnections();
    await closed;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    if (pathOf(req) !== METRICS_PATH) return sendError(res, 404, 'Not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, 'Only GET and HEAD');
    }
    try {
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error(`collecting metrics failed: ${(error as Error).message}`);
      sendError(res, 500, 'Internal server error');
    }
  }
}

function sendError(res: ServerResponse, statusCode: number, message: string): void {
  res.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(errorBody(statusCode, message)));
}
