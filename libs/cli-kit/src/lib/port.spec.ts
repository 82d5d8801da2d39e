import { createServer, type Server } from 'node:net';

import { CliError } from './cli-error';
import { assertPortFree, freePort } from './port';

function listen(port: number, host: string): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, host, () => resolve(server));
  });
}

describe('ports', () => {
  it('finds a port that can be bound', async () => {
    const port = await freePort();
    const server = await listen(port, '127.0.0.1');

    expect((server.address() as { port: number }).port).toBe(port);
    server.close();
  });

  it('passes a free port and names a taken one with the hint', async () => {
    const server = await listen(0, '127.0.0.1');
    const port = (server.address() as { port: number }).port;
    try {
      const error = await assertPortFree(port, '127.0.0.1', 'Pick another.').catch((e) => e);

      expect(error).toBeInstanceOf(CliError);
      expect(error).toMatchObject({
        message: `port ${port} is in use on 127.0.0.1.`,
        hint: 'Pick another.',
      });
    } finally {
      server.close();
    }
    await expect(assertPortFree(await freePort(), '127.0.0.1', 'unused')).resolves.toBeUndefined();
  });
});
