import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { RequestListener, Server } from 'node:http';

import { LIVENESS_PATH } from '@prod-e/health-contract/endpoints';

import { enableLivenessFastPath, serverWithLivenessFastPath } from './liveness-fast-path';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serverWithLivenessFastPath', () => {
  it('gives its server the timeouts Fastify gives a server it makes itself', async () => {
    // Arrange
    const options = { keepAliveTimeout: 61_000, connectionTimeout: 0 };
    const own = Fastify(options);
    const factory = Fastify({ ...options, serverFactory: serverWithLivenessFastPath });
    await Promise.all([own.ready(), factory.ready()]);

    // Act
    const settings = (server: Server) => [
      server.keepAliveTimeout,
      server.requestTimeout,
      server.timeout,
      server.maxRequestsPerSocket,
    ];

    // Assert
    expect(settings(factory.server)).toEqual(settings(own.server));
    expect(factory.server.requestTimeout).toBe(0); // Node's own default would be 300 s
    await Promise.all([own.close(), factory.close()]);
  });

  it('hands a probe to Fastify when its answer fails, instead of throwing out of the server', async () => {
    // Arrange
    const fallback: RequestListener = (_req, res) => res.end('answered by Fastify');
    const server = serverWithLivenessFastPath(fallback);
    enableLivenessFastPath(server, {
      shutdown: { isShuttingDown: false },
      drain: { recordAnswered: () => undefined },
      metrics: {
        observeRequest: () => {
          throw new Error('metrics registry broken');
        },
      },
      cors: false,
    });
    const url = await listen(server);

    try {
      // Act
      const response = await fetch(`${url}${LIVENESS_PATH}`);

      // Assert
      expect([response.status, await response.text()]).toEqual([200, 'answered by Fastify']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
