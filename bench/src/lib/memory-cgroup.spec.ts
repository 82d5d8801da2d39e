import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MemoryCgroupError, createMemoryCgroup, memoryCgroupParent } from './memory-cgroup';

describe('memoryCgroupParent', () => {
  it('finds the v1 memory controller, also next to a v2 hierarchy (hybrid)', () => {
    const text = '9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/\n';

    expect(memoryCgroupParent(text)).toEqual({
      version: 1,
      dir: '/sys/fs/cgroup/memory/process_api/abc',
    });
  });

  it('falls back to the v2 hierarchy', () => {
    expect(memoryCgroupParent('0::/user.slice/session-1.scope\n')).toEqual({
      version: 2,
      dir: '/sys/fs/cgroup/user.slice/session-1.scope',
    });
  });

  it('finds nothing without cgroups', () => {
    expect(memoryCgroupParent('')).toBeUndefined();
  });
});

describe('createMemoryCgroup (on a scratch directory standing in for /sys/fs/cgroup)', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cgroup-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it.each([
    [1, 'memory.limit_in_bytes'],
    [2, 'memory.max'],
  ] as const)('cgroup v%s: makes the group and writes %s', async (version, limitFile) => {
    const group = await createMemoryCgroup('bench-app', 512, { version, dir: root });

    expect(await readFile(join(root, 'bench-app', limitFile), 'utf8')).toBe(String(512 * 2 ** 20));
    expect(group.procsFile).toBe(join(root, 'bench-app', 'cgroup.procs'));
    // remove() is a plain rmdir: cgroupfs drops its interface files itself (a scratch dir does not).
  });

  it('explains what it needs when the group cannot be made', async () => {
    const missing = { version: 1 as const, dir: join(root, 'no', 'such') };

    await expect(createMemoryCgroup('x', 512, missing)).rejects.toThrow(MemoryCgroupError);
    await expect(createMemoryCgroup('x', 512, missing)).rejects.toThrow(
      /cgroup v1's memory controller as root.*ENOENT/,
    );
  });
});
