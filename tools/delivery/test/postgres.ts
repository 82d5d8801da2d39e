import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL for the artifact test: TEST_DATABASE_URL when given, else a throwaway server
 * (postgres-server.ts) in a child process. tools/dev-db starts the same kind of server for the
 * API, but a tool may import only libraries, so this test runs its own.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DATABASE_URL)
    return { url: process.env.TEST_DATABASE_URL, stop: async () => undefined };
  const server = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), join(__dirname, 'postgres-server.ts')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  server.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = once(server, 'exit');
  for await (const line of createInterface({ input: server.stdout })) {
    if (line.startsWith('ready ')) {
      const [, url, dir] = line.split(' ');
      return {
        url,
        stop: async () => {
          server.kill('SIGTERM');
          await exited;
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
  }
  throw new Error(`The test PostgreSQL did not start:\n${log}`);
}
