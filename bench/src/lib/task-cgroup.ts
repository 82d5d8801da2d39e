import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '@prod-e/cli-kit';

/** The size of one task: a share of CPU and a memory limit, either optional. */
export interface TaskSize {
  /** CPUs (0.25 = 256 Fargate CPU units). */
  readonly cpus?: number;
  readonly memoryMiB?: number;
}

/**
 * Where this process's cgroups live. cgroup v1 keeps one hierarchy per controller (the group
 * is made in each); cgroup v2 has one hierarchy whose parent must delegate the controllers.
 */
export type CgroupParent =
  | { readonly version: 1; readonly cpuDir?: string; readonly memoryDir?: string }
  | { readonly version: 2; readonly dir: string };

export interface TaskCgroup {
  /** Write a pid to each of these to move that process into the group. */
  readonly procsFiles: readonly string[];
  /** Removes the (empty) group. */
  remove(): Promise<void>;
}

/** No task-sized cgroup could be made here: the scenario then runs unconstrained, and says so. */
export class TaskCgroupError extends CliError {
  override readonly name = 'TaskCgroupError';

  constructor(detail: string) {
    super(
      `a task-sized cgroup needs cgroup v1's cpu and memory controllers as root, or a cgroup v2 ` +
        `group whose cgroup.subtree_control enables cpu and memory: ${detail}`,
    );
  }
}

/** CFS bandwidth: Docker and ECS use a 100 ms period and a quota of cpus × period. */
export const CFS_PERIOD_US = 100_000;

/**
 * The group's weight against everything else on the machine: ten times the default (v1
 * cpu.shares 1024, v2 cpu.weight 100). A Fargate task's CPU is reserved; on a shared machine a
 * group of default weight waits behind every busy process, so it would get less than its quota,
 * and late. The quota still caps it at `cpus`.
 */
export const RESERVED_WEIGHT = { v1: 10_240, v2: 1_000 } as const;

export function cfsQuotaUs(cpus: number, periodUs = CFS_PERIOD_US): number {
  return Math.round(cpus * periodUs);
}

/** The interface files, and what to write in each, for `size` in cgroup `version`. */
export function limitFiles(
  version: 1 | 2,
  size: TaskSize,
): { cpu: string[][]; memory: string[][] } {
  const quota = size.cpus === undefined ? undefined : cfsQuotaUs(size.cpus);
  const bytes = size.memoryMiB === undefined ? undefined : String(size.memoryMiB * 2 ** 20);
  const cpu =
    quota === undefined
      ? []
      : version === 2
        ? [
            ['cpu.weight', String(RESERVED_WEIGHT.v2)],
            ['cpu.max', `${quota} ${CFS_PERIOD_US}`],
          ]
        : // The period first: the kernel checks the quota against the period already set.
          [
            ['cpu.shares', String(RESERVED_WEIGHT.v1)],
            ['cpu.cfs_period_us', String(CFS_PERIOD_US)],
            ['cpu.cfs_quota_us', String(quota)],
          ];
  const memory =
    bytes === undefined ? [] : [[version === 2 ? 'memory.max' : 'memory.limit_in_bytes', bytes]];
  return { cpu, memory };
}

/** `root/.../path` without the trailing slash of a group at its hierarchy's root (`/`). */
const under = (root: string, ...parts: string[]) =>
  join(root, ...parts.flatMap((part) => part.split('/').filter(Boolean)));

/**
 * Reads /proc/self/cgroup's text. v1 controllers (`N:cpu,cpuacct:/path`, `N:memory:/path`) win
 * over the v2 line (`0::/path`): on a hybrid host the v2 mount has no controllers.
 */
export function cgroupParent(
  procSelfCgroup: string,
  root = '/sys/fs/cgroup',
): CgroupParent | undefined {
  const lines = procSelfCgroup.split('\n').filter(Boolean);
  const v1 = (controller: string) => {
    for (const line of lines) {
      const [, controllers, path] = line.split(':');
      const names = controllers?.split(',') ?? [];
      if (names.includes(controller)) return under(root, names.join(','), path);
    }
    return undefined;
  };
  const cpuDir = v1('cpu');
  const memoryDir = v1('memory');
  if (cpuDir || memoryDir) return { version: 1, cpuDir, memoryDir };
  const unified = lines.find((line) => line.startsWith('0::'));
  return unified ? { version: 2, dir: under(root, unified.slice(3)) } : undefined;
}

async function makeGroup(dir: string, files: readonly string[][]): Promise<void> {
  await mkdir(dir);
  for (const [file, value] of files) await writeFile(join(dir, file), value);
}

/**
 * A cgroup of the task's size below this process's own, the way ECS limits a task: CFS quota
 * for CPU, a hard memory limit. Node reads both at start (the heap is sized from the memory
 * limit, nodejs/node#27508), so a server started inside behaves as in a task of that size.
 */
export async function createTaskCgroup(
  name: string,
  size: TaskSize,
  parent?: CgroupParent,
): Promise<TaskCgroup> {
  const where = parent ?? cgroupParent(await readFile('/proc/self/cgroup', 'utf8'));
  if (!where) throw new TaskCgroupError('no cgroup found in /proc/self/cgroup');
  const { cpu, memory } = limitFiles(where.version, size);
  const groups: { dir: string; files: string[][] }[] = [];
  if (where.version === 2) {
    groups.push({ dir: join(where.dir, name), files: [...cpu, ...memory] });
  } else {
    for (const [files, base, controller] of [
      [cpu, where.cpuDir, 'cpu'],
      [memory, where.memoryDir, 'memory'],
    ] as const) {
      if (files.length === 0) continue;
      if (!base) throw new TaskCgroupError(`no cgroup v1 ${controller} controller`);
      groups.push({ dir: join(base, name), files });
    }
  }
  const made: string[] = [];
  try {
    for (const group of groups) {
      await makeGroup(group.dir, group.files);
      made.push(group.dir);
    }
  } catch (error) {
    await Promise.allSettled(made.map((dir) => rmdir(dir)));
    throw new TaskCgroupError((error as Error).message);
  }
  return {
    procsFiles: made.map((dir) => join(dir, 'cgroup.procs')),
    remove: async () => {
      for (const dir of made) await rmdir(dir);
    },
  };
}
