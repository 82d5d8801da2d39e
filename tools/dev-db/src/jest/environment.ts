import { join } from 'node:path';
import NodeEnvironment from 'jest-environment-node';

import { freePort } from '@prod-e/cli-kit';

import { type DevDb, startDevDb } from '../lib/dev-db';
import { TEST_DB_ROOT_DIR } from '../lib/paths';

/** What a spec can call as `globalThis.devDb` (see `DevDbControl`). */
export interface DevDbControl {
  /** Starts a separate throwaway server, for specs that stop and start it (fault tests). */
  startServer(): Promise<DevDb>;
}

/**
 * Jest test environment that gives specs a private PostgreSQL server on demand. Apps may not
 * import tools (module boundaries), so the API's fault specs reach this through the environment
 * its jest.config.cjs names, never through an import.
 */
export default class DevDbEnvironment extends NodeEnvironment {
  private readonly servers: DevDb[] = [];

  override async setup(): Promise<void> {
    await super.setup();
    const control: DevDbControl = {
      startServer: async () => {
        const port = await freePort();
        const server = await startDevDb({
          dataDir: join(TEST_DB_ROOT_DIR, `fault-${process.pid}-${port}`),
          port,
          database: 'postgres',
          temporary: true,
        });
        this.servers.push(server);
        return server;
      },
    };
    this.global.devDb = control;
  }

  override async teardown(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.dispose()));
    await super.teardown();
  }
}
