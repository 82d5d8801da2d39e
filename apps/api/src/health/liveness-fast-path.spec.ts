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
      drain: {
        recordAnswered: () => {
          throw new Error('drain bookkeeping broken');
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

  it('makes one body per millisecond and shutdown state: probes in the same millisecond share it', async () => {
    // Arrange
    const shutdown = { isShuttingDown: false };
    const server = serverWithLivenessFastPath(() => undefined);
    enableLivenessFastPath(server, {
      shutdown,
      drain: { recordAnswered: () => undefined },
      cors: false,
    });
    const url = await listen(server);
    const now = jest.spyOn(Date, 'now');
    const probe = async (at: number) => {
      now.mockReturnValue(at);
      return (await fetch(`${url}${LIVENESS_PATH}`)).json();
    };

    try {
      // Act
      const first = await probe(Date.UTC(2026, 0, 1, 12, 0, 0, 1));
      const sameMillisecond = await probe(Date.UTC(2026, 0, 1, 12, 0, 0, 1));
      const next = await probe(Date.UTC(2026, 0, 1, 12, 0, 0, 2));
      shutdown.isShuttingDown = true;
      const draining = await probe(Date.UTC(2026, 0, 1, 12, 0, 0, 2));

      // Assert
      expect([first, sameMillisecond, next, draining]).toEqual([
        { status: 'ok', timestamp: '2026-01-01T12:00:00.001Z' },
        { status: 'ok', timestamp: '2026-01-01T12:00:00.001Z' },
        { status: 'ok', timestamp: '2026-01-01T12:00:00.002Z' },
        { status: 'shutting_down', timestamp: '2026-01-01T12:00:00.002Z' },
      ]);
    } finally {
      now.mockRestore();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
