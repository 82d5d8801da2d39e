import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';

import { AUTH_HEADERS, REQUESTS_PATH } from '../lib/apps';
import {
  recommendedCpuTarget,
  recommendedRequestsPerTarget,
  REQUEST_TARGET_SHARE,
  targetRate,
  taskCpuPercent,
} from '../lib/autoscaling';
import {
  type CapacityResult,
  DEFAULT_OBJECTIVE,
  type Objective,
  type ProbeRecord,
  runAtRate,
  type SearchPlan,
  searchCapacity,
} from '../lib/capacity-search';
import { type BenchContext, type ScenarioOutcome, taskSize, withTaskApps } from '../lib/harness';
import { type ArrivalLoadResult, runArrivalLoad } from '../lib/open-loop';
import type { AppSpec, RunningApp } from '../lib/server';
import { round } from '../lib/stats';
import type { EndpointName } from '../lib/options';
import { type SummaryRow, summaryRow, TARGETS, type Target } from '../lib/targets';

/** The endpoints every server is measured on, by `--endpoints` name. */
export const CAPACITY_PATHS: Readonly<Record<EndpointName, string>> = {
  live: LIVENESS_PATH,
  health: HEALTH_PATH,
  requests: REQUESTS_PATH,
};

/** Ramp ×2 from 100 req/s in 5 s runs, then bisect to 10 % with full-length runs. */
const SEARCH = { startRate: 100, growth: 2, rampSeconds: 5, precision: 0.1, maxRate: 50_000 };
/** Unmeasured seconds at the ramp's first rate before each endpoint's search. */
const WARMUP_SECONDS = 5;
/** Seconds between runs, so one run's queue has drained before the next starts. */
const SETTLE_MS = 1_000;

/**
 * A run of the open-loop load with the server's CPU over it (% of the task's CPUs) and the load
 * generator's (% of one core: near 100, the generator, not the server, set the limit).
 */
export type CapacityProbe = ArrivalLoadResult & {
  readonly taskCpuPercent: number;
  readonly generatorCpuPercent: number;
};

export interface EndpointCapacity extends CapacityResult<CapacityProbe> {
  readonly app: string;
  readonly path: string;
  /** 1-minute load average of the machine before and after the search. */
  readonly loadAverage: readonly [number, number];
}

export interface AutoscalingFinding {
  readonly capacityRps: number;
  readonly requestsPerTargetPerMinute: number;
  readonly rateRps: number;
  /** The task's CPU (% of its CPUs) while serving `rateRps`: what the CPU policy would see. */
  readonly cpuPercentAtRate: number;
  readonly cpuTargetPercent: number;
  readonly p99MsAtRate: number;
  /** Runs at `rateRps` (a run that missed the objective is run again once). */
  readonly runsAtRate: number;
  /** Why the last run missed the objective; empty when it met it, so its CPU is trusted. */
  readonly missesAtRate: readonly string[];
}

async function probe(
  app: RunningApp,
  path: string,
  rate: number,
  seconds: number,
  cpus: number,
): Promise<CapacityProbe> {
  const cpuBefore = await app.cpuMs();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runArrivalLoad({
    baseUrl: app.baseUrl,
    path,
    rate,
    seconds,
    headers: AUTH_HEADERS,
  });
  const wallMs = performance.now() - started;
  const own = process.cpuUsage(ownBefore);
  const cpuMs = (await app.cpuMs()) - cpuBefore;
  await sleep(SETTLE_MS);
  return {
    ...result,
    taskCpuPercent: round(taskCpuPercent(cpuMs, wallMs, cpus), 1),
    generatorCpuPercent: round(taskCpuPercent((own.user + own.system) / 1000, wallMs, 1), 1),
  };
}

function describe(app: string, path: string, p: ProbeRecord<CapacityProbe>): string {
  const r = p.result;
  return (
    `    ${app} ${path} ${p.phase} ${p.rate} req/s for ${r.seconds} s: p99 ${round(r.p99Ms, 1)} ms, ` +
    `CPU ${r.taskCpuPercent} % of the task (generator ${r.generatorCpuPercent} % of a core), ${p.misses.length ? `MISS (${p.misses.join(', ')})` : 'ok'}`
  );
}

const objectiveOf = (ctx: BenchContext): Objective => ({
  p99Ms: ctx.options.p99Ms,
  minAchievedShare: DEFAULT_OBJECTIVE.minAchievedShare,
});

async function searchEndpoint(
  ctx: BenchContext,
  app: RunningApp,
  path: string,
  cpus: number,
): Promise<EndpointCapacity> {
  const holdSeconds = ctx.options.capacitySeconds;
  const rampSeconds = Math.min(SEARCH.rampSeconds, holdSeconds);
  const plan: SearchPlan = { ...SEARCH, rampSeconds, holdSeconds };
  const objective = objectiveOf(ctx);
  // Unmeasured: the first requests of a route compile its code; a ramp must not start cold.
  await probe(app, path, SEARCH.startRate, WARMUP_SECONDS, cpus);
  const before = loadavg()[0];
  const found = await searchCapacity(
    (rate, seconds) => probe(app, path, rate, seconds, cpus),
    plan,
    objective,
    (p) => ctx.say(describe(app.label, path, p)),
  );
  ctx.say(`  ${app.label} ${path}: ${found.capacityRps} req/s (missed at ${found.missedAtRps})`);
  return { ...found, app: app.label, path, loadAverage: [before, loadavg()[0]] };
}

/** prod-e at the request target's rate: the CPU % the CPU policy would see there. */
async function autoscaling(
  ctx: BenchContext,
  app: RunningApp,
  capacityRps: number,
  cpus: number,
): Promise<AutoscalingFinding> {
  const requestsPerTargetPerMinute = recommendedRequestsPerTarget(capacityRps);
  const rateRps = round(targetRate(requestsPerTargetPerMinute), 1);
  const {
    result: run,
    misses,
    runs,
  } = await runAtRate(
    (rate, seconds) => probe(app, REQUESTS_PATH, rate, seconds, cpus),
    rateRps,
    ctx.options.capacitySeconds,
    objectiveOf(ctx),
  );
  const finding = {
    capacityRps,
    requestsPerTargetPerMinute,
    rateRps,
    cpuPercentAtRate: run.taskCpuPercent,
    cpuTargetPercent: recommendedCpuTarget(run.taskCpuPercent),
    p99MsAtRate: round(run.p99Ms, 1),
    runsAtRate: runs,
    missesAtRate: misses,
  };
  ctx.say(
    `  recommended ALBRequestCountPerTarget: ${requestsPerTargetPerMinute} per minute ` +
      `(${REQUEST_TARGET_SHARE * 100} % of ${capacityRps} req/s × 60); at ${rateRps} req/s the task ` +
      `used ${run.taskCpuPercent} % of its CPU (p99 ${finding.p99MsAtRate} ms, run ${runs}): CPU ` +
      `target ${finding.cpuTargetPercent} %` +
      (misses.length ? ` (UNRELIABLE: no run met the objective: ${misses.join(', ')})` : ''),
  );
  return finding;
}

interface AppCapacity {
  readonly constrained: boolean;
  readonly endpoints: EndpointCapacity[];
}

function capacityRows(
  ctx: BenchContext,
  byApp: Readonly<Record<string, AppCapacity>>,
  within: string,
): SummaryRow[] {
  const { prodE, baseline, floorFastify, floorNodeHttp, prodENoReadReuse } = ctx.specs;
  const capacity = (label: string, path: string) =>
    byApp[label].endpoints.find((e) => e.path === path)?.capacityRps ?? Number.NaN;
  const metric = `capacity at p99 ≤ ${ctx.options.p99Ms} ms, 0 errors (req/s${within})`;
  return ctx.options.endpoints
    .map((name) => CAPACITY_PATHS[name])
    .flatMap((path) =>
      (
        [
          [baseline, TARGETS.capacityVsBaseline],
          [floorFastify, path === LIVENESS_PATH ? TARGETS.liveCapacityVsFastify : undefined],
          [floorNodeHttp, undefined],
          ...(path === REQUESTS_PATH ? ([[prodENoReadReuse, undefined]] as const) : []),
        ] as const satisfies readonly (readonly [AppSpec, Target | undefined])[]
      ).map(([reference, target]) =>
        summaryRow({
          scenario: path,
          metric,
          reference: { label: reference.label, value: capacity(reference.label, path) },
          candidate: { label: prodE.label, value: capacity(prodE.label, path) },
          target,
        }),
      ),
    );
}

/**
 * One task's capacity: each server alone in a cgroup of the task's size (load generator and
 * database outside), the highest constant arrival rate it carries within the objective on each
 * endpoint; then prod-e at the request target's rate for the CPU it uses there.
 */
export async function capacity(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { prodE, baseline, floorFastify, floorNodeHttp, prodENoReadReuse } = ctx.specs;
  const size = taskSize(ctx.options);
  ctx.say(`  task size: ${size.cpus} CPU, ${size.memoryMiB} MiB, each server in its own cgroup`);
  // The read-reuse-off variant is measured on the logged route only: it differs nowhere else.
  const readsLog = ctx.options.endpoints.includes('requests');
  const specs = [prodE, baseline, floorFastify, floorNodeHttp];
  if (readsLog) specs.push(prodENoReadReuse);
  const { byApp, auto } = await withTaskApps(ctx, specs, size, 'capacity', async (apps) => {
    const measured: Record<string, AppCapacity> = {};
    for (const { app, constrained } of apps) measured[app.label] = { constrained, endpoints: [] };
    // Endpoint by endpoint, every server in turn: each comparison is minutes apart, not half an hour.
    for (const path of ctx.options.endpoints.map((name) => CAPACITY_PATHS[name])) {
      for (const { app } of apps) {
        if (app.label === prodENoReadReuse.label && path !== REQUESTS_PATH) continue;
        measured[app.label].endpoints.push(await searchEndpoint(ctx, app, path, size.cpus));
      }
    }
    const prod = apps[0].app;
    const logged = measured[prod.label].endpoints.find((e) => e.path === REQUESTS_PATH);
    if (logged) ctx.findings.loggedRouteCapacityRps = logged.capacityRps;
    const finding =
      logged && logged.capacityRps > 0
        ? await autoscaling(ctx, prod, logged.capacityRps, size.cpus)
        : undefined;
    return { byApp: measured, auto: finding };
  });
  const constrained = Object.values(byApp).every((a) => a.constrained);
  const within = constrained
    ? ` per ${size.cpus} CPU / ${size.memoryMiB} MiB task`
    : ', unconstrained';
  return {
    name: 'capacity',
    rows: capacityRows(ctx, byApp, within),
    raw: { taskSize: size, constrained, autoscaling: auto, apps: byApp },
  };
}
