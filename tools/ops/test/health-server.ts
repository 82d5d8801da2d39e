import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface HealthServer {
  url: string;
  replies: Record<string, Reply>;
  requests: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP (or, given a key and certificate, HTTPS) server on 127.0.0.1 that answers each path
 * with a configurable status, headers and body, so probes are tested over a socket rather than
 * against a mocked fetch.
 */
export async function startHealthServer(
  replies: Record<string, Reply>,
  tls?: { key: string; cert: string; host?: string },
): Promise<HealthServer> {
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const reply = replies[req.url ?? ''] ?? { status: 404, body: { message: 'Not Found' } };
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(text);
  };
  const server: Server = tls ? createHttpsServer(tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${tls?.host ?? '127.0.0.1'}:${port}`,
    replies,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A health server for one spec file: started before its tests, closed after them, and answering
 * `/health` with `healthy` again before each test (a test may change `replies` or read
 * `requests`). The handle is filled in by `beforeAll`; its `replies` and `requests` are the
 * server's own.
 */
export function useHealthServer(healthy: unknown): HealthServer {
  const server = {} as HealthServer;
  beforeAll(async () => {
    Object.assign(server, await startHealthServer({ '/health': { status: 200, body: healthy } }));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.replies['/health'] = { status: 200, body: healthy };
    server.requests.length = 0;
  });
  return server;
}
