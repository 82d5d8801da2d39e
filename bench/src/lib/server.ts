import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to start one app under test: compiled JS, run by `node`, configured by environment. */
export interface AppSpec {
  /** Shown in tables and JSON: `baseline`, `prod-e`, `prod-e (log off)`. */
  readonly label: string;
  /** Compiled entry point (dist/...). */
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  /** Node flags the app runs with wherever it runs (prod-e: the container's, API_NODE_FLAGS). */
  readonly nodeFlags?: readonly string[];
}

export interface RunningApp {
  readonly label: string;
  readonly pid: number;
  readonly baseUrl: string;
  /** Milliseconds from spawn to the first 200 on the ready path. */
  readonly startMs: number;
  /** Milliseconds from spawn to the first HTTP answer of any status (the port is serving). */
  readonly listeningMs: number;
  /** Resident set size of the server process, from /proc/<pid>/status (VmRSS), in KiB. */
  rssKib(): Promise<number>;
  /** CPU time (user + system) the server process has used so far, from /proc/<pid>/stat, in ms. */
  cpuMs(): Promise<number>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly port: number;
  /** stdout and stderr go here (appended), like a container's log driver. */
  readonly logFile: string;
  /** Polled until it answers 200. */
  readonly readyPath: string;
  readonly nodeArgs?: readonly string[];
  readonly timeoutMs?: number;
  /**
   * Start inside these cgroups (their cgroup.procs files; cgroup v1 has one per controller): a
   * shell writes its own pid to each, then execs node, so the server is in the group before
   * Node sizes its heap, and keeps the pid.
   */
  readonly cgroupProcsFiles?: readonly string[];
  /** Scheduling priority (nice) to give the server once spawned. */
  readonly nice?: number;
}

/** One GET on loopback without keep-alive; resolves the status code, rejects on socket errors. */
export function httpStatus(url: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** VmRSS of a live process, in KiB (Linux only, which is where the benchmark runs). */
export async function readRssKib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Linux reports /proc times in USER_HZ ticks, 100 per second on every mainstream platform. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a live process, in ms (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuMsFromStat(stat: string): number {
  // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat');
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** `sh -c` script: write the shell's pid to every file before `--`, then exec what follows. */
const JOIN_CGROUPS =
  'while [ "$1" != -- ]; do echo $$ > "$1" || exit 1; shift; done; shift; exec "$@"';

/**
 * Spawns `node <script>` directly (no shell, no npm; with `cgroupProcsFiles`, a shell that execs
 * node), so the pid is the server itself and the clock starts at spawn. The environment is built from scratch: nothing from the runner
 * (NODE_OPTIONS, tsx loaders, Nx variables) leaks into the apps.
 */
export async function startApp(spec: AppSpec, options: StartOptions): Promise<RunningApp> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const log = openSync(options.logFile, 'a');
  const started = performance.now();
  const node = [
    process.execPath,
    ...(spec.nodeFlags ?? []),
    ...(options.nodeArgs ?? []),
    spec.script,
  ];
  const [command, ...args] = options.cgroupProcsFiles?.length
    ? ['/bin/sh', '-c', JOIN_CGROUPS, 'sh', ...options.cgroupProcsFiles, '--', ...node]
    : node;
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...spec.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (options.nice !== undefined && child.pid !== undefined) setPriority(child.pid, options.nice);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = sleep(10_000).then(() => child.kill('SIGKILL'));
    await Promise.race([exited(child), killed]);
    await exited(child);
  };

  let early: string | undefined;
  let listeningMs: number | undefined;
  child.once('exit', (code, signal) => (early = `exited (${signal ?? code})`));
  for (;;) {
    if (early) {
      throw new Error(
        `${spec.label} ${early} before serving ${options.readyPath}:\n${logTail(options.logFile)}`,
      );
    }
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(
        `${spec.label} did not answer 200 on ${options.readyPath} within ${timeoutMs} ms:\n${logTail(options.logFile)}`,
      );
    }
    const status = await httpStatus(baseUrl + options.readyPath).catch(() => 0);
    if (status !== 0) listeningMs ??= performance.now() - started;
    if (status === 200) break;
    // Fine enough for starts of seconds, without flooding a starting server with probes.
    await sleep(10);
  }
  const startMs = performance.now() - started;
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.label}: spawn gave no pid`);
  return {
    label: spec.label,
    pid,
    baseUrl,
    startMs,
    listeningMs: listeningMs ?? startMs,
    rssKib: () => readRssKib(pid),
    cpuMs: async () => cpuMsFromStat(await readFile(`/proc/${pid}/stat`, 'utf8')),
    stop,
  };
}
