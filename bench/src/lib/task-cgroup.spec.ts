import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  cfsQuotaUs,
  cgroupParent,
  createTaskCgroup,
  limitFiles,
  TaskCgroupError,
} from './task-cgroup';

const TASK = { cpus: 0.25, memoryMiB: 512 };

describe('cfsQuotaUs and limitFiles', () => {
  it('gives 0.25 CPU as 25 ms of every 100 ms period', () => {
    expect(cfsQuotaUs(0.25)).toBe(25_000);
    expect(cfsQuotaUs(2)).toBe(200_000);
    expect(cfsQuotaUs(0.5, 50_000)).toBe(25_000);
  });

  it('writes cpu.weight, cpu.max and memory.max on cgroup v2', () => {
    expect(limitFiles(2, TASK)).toEqual({
      cpu: [
        ['cpu.weight', '1000'],
        ['cpu.max', '25000 100000'],
      ],
      memory: [['memory.max', String(512 * 2 ** 20)]],
    });
  });

  it('writes cpu.shares, the CFS period before the quota, and memory.limit_in_bytes, on cgroup v1', () => {
    expect(limitFiles(1, TASK)).toEqual({
      cpu: [
        ['cpu.shares', '10240'],
        ['cpu.cfs_period_us', '100000'],
        ['cpu.cfs_quota_us', '25000'],
      ],
      memory: [['memory.limit_in_bytes', '536870912']],
    });
  });

  it('leaves out a limit that is not asked for', () => {
    expect(limitFiles(2, { memoryMiB: 512 }).cpu).toEqual([]);
    expect(limitFiles(1, { cpus: 1 }).memory).toEqual([]);
  });
});

describe('cgroupParent', () => {
  it('finds the v1 cpu and memory controllers, also next to a v2 hierarchy (hybrid)', () => {
    const text = '9:name=systemd:/\n4:memory:/process_api/abc\n2:cpuacct:/\n1:cpu:/\n0::/\n';

    expect(cgroupParent(text)).toEqual({
      version: 1,
      cpuDir: '/sys/fs/cgroup/cpu',
      memoryDir: '/sys/fs/cgroup/memory/process_api/abc',
    });
  });

  it('names a co-mounted v1 hierarchy as it is mounted (cpu,cpuacct)', () => {
    expect(cgroupParent('3:cpu,cpuacct:/docker/x\n')).toEqual({
      version: 1,
      cpuDir: '/sys/fs/cgroup/cpu,cpuacct/docker/x',
      memoryDir: undefined,
    });
  });

  it('falls back to the v2 hierarchy', () => {
    expect(cgroupParent('0::/user.slice/session-1.scope\n')).toEqual({
      version: 2,
      dir: '/sys/fs/cgroup/user.slice/session-1.scope',
    });
  });

  it('finds nothing without cgroups', () => {
    expect(cgroupParent('')).toBeUndefined();
  });
});

describe('createTaskCgroup (on a scratch directory standing in for /sys/fs/cgroup)', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cgroup-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  const read = (...path: string[]) => readFile(join(root, ...path), 'utf8');

  it('cgroup v2: one group with cpu.max and memory.max', async () => {
    const group = await createTaskCgroup('task', TASK, { version: 2, dir: root });

    expect(await read('task', 'cpu.max')).toBe('25000 100000');
    expect(await read('task', 'cpu.weight')).toBe('1000');
    expect(await read('task', 'memory.max')).toBe('536870912');
    expect(group.procsFiles).toEqual([join(root, 'task', 'cgroup.procs')]);
  });

  it('cgroup v1: a group in each controller, the process to be written to both', async () => {
    await mkdir(join(root, 'cpu'));
    await mkdir(join(root, 'memory'));
    const parent = {
      version: 1,
      cpuDir: join(root, 'cpu'),
      memoryDir: join(root, 'memory'),
    } as const;

    const group = await createTaskCgroup('task', TASK, parent);

    expect(await read('cpu', 'task', 'cpu.cfs_quota_us')).toBe('25000');
    expect(await read('cpu', 'task', 'cpu.cfs_period_us')).toBe('100000');
    expect(await read('cpu', 'task', 'cpu.shares')).toBe('10240');
    expect(await read('memory', 'task', 'memory.limit_in_bytes')).toBe('536870912');
    expect(group.procsFiles).toEqual([
      join(root, 'cpu', 'task', 'cgroup.procs'),
      join(root, 'memory', 'task', 'cgroup.procs'),
    ]);
    // remove() is a plain rmdir: cgroupfs drops its interface files itself (a scratch dir does not).
  });

  it('explains what it needs when a group cannot be made', async () => {
    await mkdir(join(root, 'cpu'));
    const parent = {
      version: 1,
      cpuDir: join(root, 'cpu'),
      memoryDir: join(root, 'no', 'such'),
    } as const;

    const made = createTaskCgroup('task', TASK, parent);

    await expect(made).rejects.toThrow(TaskCgroupError);
    await expect(made).rejects.toThrow(/cgroup v1's cpu and memory controllers as root.*ENOENT/);
  });

  it('refuses a v1 host without the controller a limit needs', async () => {
    await expect(
      createTaskCgroup('task', { cpus: 0.25 }, { version: 1, memoryDir: root }),
    ).rejects.toThrow(/no cgroup v1 cpu controller/);
  });
});
