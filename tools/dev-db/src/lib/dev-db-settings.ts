import { isAbsolute, resolve } from 'node:path';

import { CliError } from '@prod-e/cli-kit';

import { DEV_DB_PORT } from './dev-db';
import { DEV_DB_DATA_DIR, DEV_DB_ENV, WORKSPACE_ROOT } from './paths';

export interface DevDbSettings {
  readonly port: number;
  readonly dataDir: string;
}

/** The `nx serve api` database's port and data directory: defaults, or the DEV_DB_ENV keys. */
export function devDbSettings(env: NodeJS.ProcessEnv = process.env): DevDbSettings {
  const port = env[DEV_DB_ENV.port];
  const dataDir = env[DEV_DB_ENV.dataDir];
  if (port !== undefined && !(/^[0-9]+$/.test(port) && Number(port) > 0 && Number(port) < 65536))
    throw new CliError(`dev-db: ${DEV_DB_ENV.port} must be a port number (1-65535), got "${port}"`);
  return {
    port: port === undefined ? DEV_DB_PORT : Number(port),
    dataDir: !dataDir
      ? DEV_DB_DATA_DIR
      : isAbsolute(dataDir)
        ? dataDir
        : resolve(WORKSPACE_ROOT, dataDir),
  };
}
