import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

import { CliError } from '@prod-e/cli-kit';

/** The account PostgreSQL runs as when started by root (it refuses to run as root itself). */
export const SERVER_ACCOUNT = 'postgres';

/** Who runs the server: undefined means "this process's own user" (not root). */
export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const run = promisify(execFile);

function lookUp(name: string): ServerUser | undefined {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * As root, the `postgres` system account (created when missing, as Debian's packages do);
 * otherwise undefined, and the server runs as the current user.
 */
export async function resolveServerUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookUp(SERVER_ACCOUNT);
  if (existing) return existing;
  await run('useradd', ['--system', '--user-group', '--no-create-home', SERVER_ACCOUNT]).catch(
    (cause: unknown) => {
      throw new CliError(
        `dev-db: PostgreSQL refuses to run as root and there is no "${SERVER_ACCOUNT}" account ` +
          `to run it as; creating one failed. Create it (useradd --system ${SERVER_ACCOUNT}) ` +
          'or run as an unprivileged user.',
        { cause },
      );
    },
  );
  const created = lookUp(SERVER_ACCOUNT);
  if (!created) throw new CliError(`dev-db: could not look up the new "${SERVER_ACCOUNT}" account`);
  return created;
}

/**
 * Whether `user` can use `path`: `x` to run a file or enter a directory, `w` to write into it.
 * Asked of the kernel as that user, so every parent directory's permissions count (a checkout
 * under a 0700 home is invisible to other accounts even when its own files are world-readable).
 */
export function userCan(user: ServerUser | undefined, path: string, access: 'x' | 'wx'): boolean {
  if (!user) return true;
  const tests = access === 'x' ? 'test -x "$1"' : 'test -w "$1" && test -x "$1"';
  const result = spawnSync('/bin/sh', ['-c', tests, 'sh', path], {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    timeout: 10_000,
  });
  return result.status === 0;
}
