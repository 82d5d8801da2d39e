import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly hostname: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load average when read: the machine is shared, so say how busy it was. */
  readonly loadAverage: number;
}

/** The CPU model as /proc/cpuinfo names it (falls back to Node's view off Linux). */
export function cpuModelFrom(cpuinfo: string | undefined): string {
  const match = cpuinfo ? /^model name\s*:\s*(.+)$/m.exec(cpuinfo) : null;
  return match?.[1].trim() ?? os.cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  let cpuinfo: string | undefined;
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    cpuinfo = undefined;
  }
  return {
    hostname: os.hostname(),
    cpus: os.availableParallelism(),
    cpuModel: cpuModelFrom(cpuinfo),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg()[0],
  };
}
