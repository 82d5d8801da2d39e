import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TASK_CPU, DEFAULT_TASK_MEMORY_MIB } from '@prod-e/deployment';
import { freePort } from '@prod-e/dev-db';
import { HEALTH_PATH } from '@prod-e/health-contract';

import { type AppSpecs, AUTH_HEADERS } from './apps';
import { type LoadResult, runLoad } from './load';
import type { BenchOptions, ScenarioName } from './options';
import type { BenchDb, StatementCalls } from './postgres';
import { type AppSpec, type RunningApp, startApp } from './server';
import { median, pairedRatio } from './stats';
import { type SummaryRow, summaryRow, type Target } from './targets';
import { createTaskCgroup, type TaskCgroup, TaskCgroupError, type TaskSize } from './task-cgroup';

/** Fargate CPU units per vCPU (256 units = 0.25 vCPU). */
const FARGATE_UNITS_PER_CPU = 1024;

/** prod-e's request-log table (its migrations create it; the baseline maps the same table). */
export const REQUEST_LOG_TABLE = 'request_log';

export interface BenchContext {
  readonly options: BenchOptions;
  readonly db: BenchDb;
  readonly specs: AppSpecs;
  /** Logs (and CPU profiles with --cpu-prof) of this run. */
  readonly runDir: string;
  /** The results JSON this run writes; charts go next to it. */
  readonly resultsFile: string;
  readonly say: (line: string) => void;
  /** What one scenario measured that a later one uses (the soak's rate). */
  readonly findings: { loggedRouteCapacityRps?: number };
}

/** One measured load run of one app in one A/B round. */
export interface Sample {
  readonly round: number;
  readonly label: string;
  readonly load: LoadResult;
  /** Server CPU time (user + system) per answered request during the run, µs. */
  readonly cpuUsPerRequest: number;
  /** Share of one core the server and the load generator (this process) used during the run. */
  readonly serverCpuPercent: number;
  readonly loadGeneratorCpuPercent: number;
  /** Statements the app sent while loaded (pg_stat_statements), where the scenario counts them. */
  readonly dbQueries?: number;
  readonly windowMs?: number;
  readonly topStatements?: readonly StatementCalls[];
  /** Rows the request log inserted during the run, where the scenario counts them. */
  readonly rowsLogged?: number;
  /** INSERT statements that wrote them (pg_stat_statements). */
  readonly insertStatements?: number;
}

export interface ScenarioOutcome {
  readonly name: ScenarioName;
  readonly rows: readonly SummaryRow[];
  readonly raw: unknown;
}

export const mib = (kib: number) => kib / 1024;
export const slug = (text: string) => text.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

let launches = 0;
/** Starts an app on a fresh port, logging to the run folder; with --cpu-prof, profiled. */
export async function launch(
  ctx: BenchContext,
  spec: AppSpec,
  tag: string,
  cgroupProcsFiles?: readonly string[],
): Promise<RunningApp> {
  const name = `${slug(spec.label)}-${tag}-${++launches}`;
  const nodeArgs = ctx.options.cpuProf
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(ctx.runDir, 'profiles')}`,
        `--cpu-prof-name=${name}.cpuprofile`,
        // Node writes the profile only on a normal exit: turn SIGTERM into process.exit().
        '--require',
        join(__dirname, '..', 'profiling', 'exit-on-sigterm.cjs'),
      ]
    : [];
  await mkdir(join(ctx.runDir, 'logs'), { recursive: true });
  return startApp(spec, {
    port: await freePort(),
    logFile: join(ctx.runDir, 'logs', `${name}.log`),
    // Ready means serving the database-inclusive check, for both apps.
    readyPath: HEALTH_PATH,
    nodeArgs,
    cgroupProcsFiles,
    nice: ctx.options.nice,
  });
}

export async function withApps<T>(
  ctx: BenchContext,
  specs: readonly AppSpec[],
  tag: string,
  run: (apps: RunningApp[]) => Promise<T>,
  cgroupProcsFiles?: readonly string[],
): Promise<T> {
  const apps: RunningApp[] = [];
  try {
    for (const spec of specs) apps.push(await launch(ctx, spec, tag, cgroupProcsFiles));
    return await run(apps);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

export interface Window {
  before?(app: RunningApp): Promise<void>;
  after?(app: RunningApp): Promise<Partial<Sample>>;
}

/**
 * Warms each app up, then measures them alternately (A B A B …) so that whatever else the
 * shared machine does lands on both; the summary takes medians over rounds.
 */
export async function abRounds(
  ctx: BenchContext,
  apps: readonly RunningApp[],
  paths: readonly string[],
  window: Window = {},
): Promise<Sample[]> {
  const { options } = ctx;
  const load = (app: RunningApp, seconds: number) =>
    runLoad({
      baseUrl: app.baseUrl,
      paths,
      connections: options.connections,
      seconds,
      headers: AUTH_HEADERS,
    });
  if (options.warmup > 0) for (const app of apps) await load(app, options.warmup);
  const samples: Sample[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const app of apps) {
      await window.before?.(app);
      const cpuBefore = await app.cpuMs();
      const ownBefore = process.cpuUsage();
      const result = await load(app, options.duration);
      const own = process.cpuUsage(ownBefore);
      // After the window's hook, so work the run caused late (a log flush) is charged to it.
      const extra = (await window.after?.(app)) ?? {};
      const cpuUsed = (await app.cpuMs()) - cpuBefore;
      const answered = result.ok + result.non2xx;
      const cpuUsPerRequest = answered > 0 ? (1000 * cpuUsed) / answered : Number.NaN;
      const percentOfCore = (ms: number) => Math.round(ms / (10 * result.seconds));
      const serverCpuPercent = percentOfCore(cpuUsed);
      const loadGeneratorCpuPercent = percentOfCore((own.user + own.system) / 1000);
      samples.push({
        round,
        label: app.label,
        load: result,
        cpuUsPerRequest,
        serverCpuPercent,
        loadGeneratorCpuPercent,
        ...extra,
      });
      ctx.say(
        `  round ${round}/${options.rounds} ${app.label.padEnd(14)} ${Math.round(result.rps)} req/s, ` +
          `p99 ${result.p99Ms} ms, ${Math.round(cpuUsPerRequest)} µs CPU/request ` +
          `(server ${serverCpuPercent} %, load generator ${loadGeneratorCpuPercent} % of a core)${result.non2xx + result.errors > 0 ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : ''}` +
          (extra.dbQueries !== undefined ? `, ${extra.dbQueries} DB queries` : '') +
          (extra.rowsLogged !== undefined
            ? `, ${extra.rowsLogged} rows logged in ${extra.insertStatements} INSERTs`
            : ''),
      );
    }
  }
  return samples;
}

export function medianOf(
  samples: readonly Sample[],
  label: string,
  value: (s: Sample) => number,
): number {
  return median(samples.filter((s) => s.label === label).map(value));
}

export function compare(
  scenario: string,
  metric: string,
  samples: readonly Sample[],
  reference: RunningApp,
  candidate: RunningApp,
  value: (s: Sample) => number,
  target?: Target,
): SummaryRow {
  return summaryRow(
    {
      scenario,
      metric,
      reference: { label: reference.label, value: medianOf(samples, reference.label, value) },
      candidate: { label: candidate.label, value: medianOf(samples, candidate.label, value) },
      target,
    },
    pairedRatio(samples, reference.label, candidate.label, value),
  );
}

/** The three rows every A/B load scenario reports: throughput, p99 latency, CPU per request. */
export function loadRows(
  scenario: string,
  samples: readonly Sample[],
  reference: RunningApp,
  candidate: RunningApp,
  targets: { readonly throughput?: Target; readonly p99?: Target } = {},
): SummaryRow[] {
  const row = (metric: string, value: (s: Sample) => number, target?: Target) =>
    compare(scenario, metric, samples, reference, candidate, value, target);
  return [
    row('requests/s', (x) => x.load.rps, targets.throughput),
    row('p99 latency (ms)', (x) => x.load.p99Ms, targets.p99),
    row('server CPU per request (µs)', (x) => x.cpuUsPerRequest),
  ];
}

/** The task size capacity and soak run in: the options', else the deployment's default task. */
export function taskSize(options: BenchOptions): Required<TaskSize> {
  return {
    cpus: options.cpus ?? DEFAULT_TASK_CPU / FARGATE_UNITS_PER_CPU,
    memoryMiB: options.memoryLimitMiB ?? DEFAULT_TASK_MEMORY_MIB,
  };
}

/**
 * Runs `run` with the pids files of a new cgroup of `size` (undefined: no limit asked for).
 * Where cgroups are not writable it says so and runs unconstrained (`constrained: false`), so
 * the figures are still produced and labelled for what they are.
 */
export async function inTaskCgroup<T>(
  ctx: BenchContext,
  label: string,
  size: TaskSize | undefined,
  run: (procsFiles: readonly string[] | undefined, constrained: boolean) => Promise<T>,
): Promise<T> {
  if (!size) return run(undefined, false);
  let cgroup: TaskCgroup | undefined;
  try {
    cgroup = await createTaskCgroup(`prod-e-bench-${process.pid}-${slug(label)}`, size);
  } catch (error) {
    if (!(error instanceof TaskCgroupError)) throw error;
    ctx.say(`  ${label}: ${error.message}; running it unconstrained`);
  }
  try {
    return await run(cgroup?.procsFiles, cgroup !== undefined);
  } finally {
    // Reported, not thrown: a leftover group must not hide the scenario's own error.
    await cgroup
      ?.remove()
      .catch((error: Error) => ctx.say(`  cgroup not removed: ${error.message}`));
  }
}

/** A server running in its own task-sized cgroup (or unconstrained, where none could be made). */
export interface TaskApp {
  readonly app: RunningApp;
  readonly constrained: boolean;
}

/**
 * Starts every spec alone in its own cgroup of `size`, runs `run` with all of them up (so a
 * scenario can alternate between them, and machine load hits each alike), then stops them.
 */
export async function withTaskApps<T>(
  ctx: BenchContext,
  specs: readonly AppSpec[],
  size: TaskSize,
  tag: string,
  run: (apps: TaskApp[]) => Promise<T>,
  started: readonly TaskApp[] = [],
): Promise<T> {
  const [spec, ...rest] = specs;
  if (!spec) return run([...started]);
  return inTaskCgroup(ctx, spec.label, size, (procsFiles, constrained) =>
    withApps(
      ctx,
      [spec],
      tag,
      ([app]) => withTaskApps(ctx, rest, size, tag, run, [...started, { app, constrained }]),
      procsFiles,
    ),
  );
}
