import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A loopback TCP proxy in front of PostgreSQL that can make every open connection die the way
 * a NAT timeout, a failover or a security-group change kills it: silently. The client is told
 * nothing until it next writes, and then gets a TCP reset (ECONNRESET), as from a peer that
 * forgot the connection. New connections go through as before.
 */
export interface TcpProxy {
  /** The database URL with host and port replaced by the proxy's. */
  readonly url: string;
  /** Drops every open connection upstream; each client learns of it only on its next write. */
  breakOpenConnections(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const open = new Set<{ client: Socket; upstream: Socket }>();
  const every = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    every.add(client).add(upstream);
    const pair = { client, upstream };
    open.add(pair);
    client.pipe(upstream).pipe(client);
    const forget = () => {
      open.delete(pair);
      every.delete(client);
      every.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    breakOpenConnections() {
      for (const pair of open) {
        open.delete(pair);
        const { client, upstream } = pair;
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.removeAllListeners('close').on('error', () => undefined);
        upstream.destroy();
        client.removeAllListeners('close');
        client.once('data', () => client.resetAndDestroy()).resume();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Broken connections no longer count as open, but server.close() waits for them too.
        for (const socket of every) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
