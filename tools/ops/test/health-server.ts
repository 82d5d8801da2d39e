import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  body: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 that answers each path with a configurable status and body,
 * so probes are tested over a socket rather than against a mocked fetch.
 */
export async function startHealthServer(replies: Record<string, Reply>): Promise<{
  url: string;
  replies: Record<string, Reply>;
  requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const reply = replies[req.url ?? ''] ?? { status: 404, body: { message: 'Not Found' } };
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    replies,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
