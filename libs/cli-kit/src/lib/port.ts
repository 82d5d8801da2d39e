import { createServer } from 'node:net';

import { CliError } from './cli-error';

/** Binds `port` on `host` and lets go again; resolves to the port the OS gave (for port 0). */
function bindOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error(`no port bound on ${host}`)),
      );
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it), for throwaway servers. */
export function freePort(): Promise<number> {
  return bindOnce(0, '127.0.0.1');
}

/**
 * Fails with a CliError naming the port when something already listens on it, so a server that
 * could never start is reported before anything is built. `hint` says how to pick another port.
 */
export async function assertPortFree(port: number, host: string, hint: string): Promise<void> {
  try {
    await bindOnce(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new CliError(`port ${port} is in use on ${host}.`, { hint, cause: error });
  }
}
