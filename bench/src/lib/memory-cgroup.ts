import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where this process's memory controller lives: cgroup v1 (`N:memory:/path`) or v2 (`0::/path`). */
export interface MemoryCgroupParent {
  readonly version: 1 | 2;
  readonly dir: string;
}

export interface MemoryCgroup {
  /** Write a pid here to move that process into the group. */
  readonly procsFile: string;
  /** Removes the (empty) group. */
  remove(): Promise<void>;
}

export class MemoryCgroupError extends Error {
  constructor(detail: string) {
    super(
      `--memory-limit needs a memory cgroup this user may create groups in (cgroup v1's memory ` +
        `controller as root, or a cgroup v2 group whose cgroup.subtree_control already enables ` +
        `memory): ${detail}`,
    );
    this.name = 'MemoryCgroupError';
  }
}

/** Reads /proc/self/cgroup's text; a v1 memory controller wins over the v2 hierarchy (hybrid). */
export function memoryCgroupParent(
  procSelfCgroup: string,
  root = '/sys/fs/cgroup',
): MemoryCgroupParent | undefined {
  const lines = procSelfCgroup.split('\n').filter(Boolean);
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('memory'))
      return { version: 1, dir: join(root, 'memory', path) };
  }
  const unified = lines.find((line) => line.startsWith('0::'));
  return unified ? { version: 2, dir: join(root, unified.slice(3)) } : undefined;
}

/**
 * A memory cgroup of `limitMiB` below this process's own, the way ECS limits a task's memory:
 * Node reads the limit at start and sizes V8's heap from it (nodejs/node#27508), so a server
 * started inside behaves as in a task of that size.
 */
export async function createMemoryCgroup(
  name: string,
  limitMiB: number,
  parent?: MemoryCgroupParent,
): Promise<MemoryCgroup> {
  const where = parent ?? memoryCgroupParent(await readFile('/proc/self/cgroup', 'utf8'));
  if (!where) throw new MemoryCgroupError('no memory cgroup found in /proc/self/cgroup');
  const dir = join(where.dir, name);
  const bytes = String(limitMiB * 1024 * 1024);
  try {
    await mkdir(dir);
    await writeFile(join(dir, where.version === 1 ? 'memory.limit_in_bytes' : 'memory.max'), bytes);
  } catch (error) {
    throw new MemoryCgroupError((error as Error).message);
  }
  return {
    procsFile: join(dir, 'cgroup.procs'),
    remove: () => rmdir(dir),
  };
}
