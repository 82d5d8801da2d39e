import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS } from '@prod-e/api-config';
import { freePort } from '@prod-e/dev-db';
import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';

import {
  PARALLEL_STATS_CALLS,
  STATS_PATH,
  percentile,
  fillRequestLog,
  statsLatencies,
  underContention,
} from './analytics';
import { type AppSpecs, AUTH_HEADERS, HEALTH_CACHE_TTL_MS } from './apps';
import { type LoadResult, runLoad } from './load';
import type { BenchOptions, ScenarioName } from './options';
import type { BenchDb, StatementCalls } from './postgres';
import { createMemoryCgroup } from './memory-cgroup';
import { type AppSpec, type RunningApp, startApp } from './server';
import { median, pairedRatio, round } from './stats';
import { healthQueryTarget, type SummaryRow, summaryRow, TARGETS, type Target } from './targets';

/** The request-logged read both apps serve. */
export const REQUESTS_PATH = '/api/requests?limit=10';
/** prod-e's request-log table (its migrations create it; the baseline maps the same table). */
export const REQUEST_LOG_TABLE = 'request_log';

export interface BenchContext {
  readonly options: BenchOptions;
  readonly db: BenchDb;
  readonly specs: AppSpecs;
  /** Logs (and CPU profiles with --cpu-prof) of this run. */
  readonly runDir: string;
  readonly say: (line: string) => void;
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

const mib = (kib: number) => kib / 1024;
const slug = (text: string) => text.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

let launches = 0;
/** Starts an app on a fresh port, logging to the run folder; with --cpu-prof, profiled. */
async function launch(
  ctx: BenchContext,
  spec: AppSpec,
  tag: string,
  cgroupProcsFile?: string,
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
    cgroupProcsFile,
  });
}

async function withApps<T>(
  ctx: BenchContext,
  specs: readonly AppSpec[],
  tag: string,
  run: (apps: RunningApp[]) => Promise<T>,
  cgroupProcsFile?: string,
): Promise<T> {
  const apps: RunningApp[] = [];
  try {
    for (const spec of specs) apps.push(await launch(ctx, spec, tag, cgroupProcsFile));
    return await run(apps);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

interface Window {
  before?(app: RunningApp): Promise<void>;
  after?(app: RunningApp): Promise<Partial<Sample>>;
}

/**
 * Warms each app up, then measures them alternately (A B A B …) so that whatever else the
 * shared machine does lands on both; the summary takes medians over rounds.
 */
async function abRounds(
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

function medianOf(samples: readonly Sample[], label: string, value: (s: Sample) => number): number {
  return median(samples.filter((s) => s.label === label).map(value));
}

function compare(
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

async function live(ctx: BenchContext): Promise<ScenarioOutcome> {
  return withApps(ctx, [ctx.specs.baseline, ctx.specs.prodE], 'live', async ([base, prod]) => {
    const samples = await abRounds(ctx, [base, prod], [LIVENESS_PATH]);
    const s = LIVENESS_PATH;
    return {
      name: 'live',
      rows: [
        compare(s, 'requests/s', samples, base, prod, (x) => x.load.rps, TARGETS.liveThroughput),
        compare(s, 'p99 latency (ms)', samples, base, prod, (x) => x.load.p99Ms, TARGETS.liveP99),
        compare(s, 'server CPU per request (µs)', samples, base, prod, (x) => x.cpuUsPerRequest),
      ],
      raw: samples,
    };
  });
}

async function health(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { db } = ctx;
  return withApps(ctx, [ctx.specs.baseline, ctx.specs.prodE], 'health', async ([base, prod]) => {
    let opened = 0;
    const samples = await abRounds(ctx, [base, prod], [HEALTH_PATH], {
      before: async () => {
        // Let the previous app's in-flight requests finish, so their queries are not counted here.
        await sleep(500);
        await db.resetStatements();
        opened = performance.now();
      },
      after: async () => {
        const statements = await db.statements();
        return {
          windowMs: Math.round(performance.now() - opened),
          dbQueries: statements.reduce((sum, s) => sum + s.calls, 0),
          topStatements: statements.slice(0, 5),
        };
      },
    });
    const s = HEALTH_PATH;
    // The strictest round counts: the bound must hold whatever the rate.
    const prodRounds = samples.filter((x) => x.label === prod.label);
    const worst = prodRounds.reduce((a, b) => ((b.dbQueries ?? 0) > (a.dbQueries ?? 0) ? b : a));
    const perRequest = (x: Sample) => (x.load.ok > 0 ? (x.dbQueries ?? 0) / x.load.ok : Number.NaN);
    return {
      name: 'health',
      rows: [
        compare(s, 'requests/s', samples, base, prod, (x) => x.load.rps, TARGETS.healthThroughput),
        compare(s, 'p99 latency (ms)', samples, base, prod, (x) => x.load.p99Ms),
        compare(s, 'server CPU per request (µs)', samples, base, prod, (x) => x.cpuUsPerRequest),
        summaryRow({
          scenario: s,
          metric: `DB queries in a ${ctx.options.duration} s window (worst round)`,
          reference: {
            label: base.label,
            value: Math.max(
              ...samples.filter((x) => x.label === base.label).map((x) => x.dbQueries ?? 0),
            ),
          },
          candidate: { label: prod.label, value: worst.dbQueries ?? 0 },
          target: healthQueryTarget(worst.windowMs ?? 0, HEALTH_CACHE_TTL_MS),
        }),
        compare(s, 'DB queries per request', samples, base, prod, perRequest),
      ],
      raw: samples,
    };
  });
}

async function requestLog(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { db } = ctx;
  const countRows = async () =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${REQUEST_LOG_TABLE}`))[0].n);
  return withApps(ctx, [ctx.specs.prodE, ctx.specs.prodENoLog], 'log', async ([on, off]) => {
    let before = 0;
    const samples = await abRounds(ctx, [on, off], [REQUESTS_PATH], {
      before: async () => {
        before = await countRows();
        await db.resetStatements();
      },
      after: async (app) => {
        // Let the batched writer flush what it buffered, so the count is complete and the
        // next window is not charged for this one's inserts.
        if (app === on) await sleep(DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS + 500);
        const inserts = (await db.statements()).filter((s) => /^\s*INSERT INTO/i.test(s.query));
        return {
          insertStatements: inserts.reduce((sum, s) => sum + s.calls, 0),
          rowsLogged: (await countRows()) - before,
        };
      },
    });
    const s = `${REQUESTS_PATH} log on vs off`;
    return {
      name: 'request-log',
      rows: [
        compare(s, 'requests/s', samples, off, on, (x) => x.load.rps, TARGETS.requestLogCost),
        compare(s, 'p99 latency (ms)', samples, off, on, (x) => x.load.p99Ms),
        compare(s, 'server CPU per request (µs)', samples, off, on, (x) => x.cpuUsPerRequest),
        compare(s, 'rows logged per request', samples, off, on, (x) =>
          x.load.ok > 0 ? (x.rowsLogged ?? 0) / x.load.ok : Number.NaN,
        ),
        compare(s, 'INSERT statements per 1,000 requests', samples, off, on, (x) =>
          x.load.ok > 0 ? (1000 * (x.insertStatements ?? 0)) / x.load.ok : Number.NaN,
        ),
      ],
      raw: samples,
    };
  });
}

async function coldStart(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { baseline, prodE } = ctx.specs;
  const starts: { label: string; round: number; healthyMs: number; answerMs: number }[] = [];
  for (let round = 1; round <= ctx.options.coldStarts; round++) {
    for (const spec of [baseline, prodE]) {
      const app = await launch(ctx, spec, 'cold');
      await app.stop();
      starts.push({ label: spec.label, round, healthyMs: app.startMs, answerMs: app.listeningMs });
      ctx.say(
        `  start ${round}/${ctx.options.coldStarts} ${spec.label.padEnd(14)} ${Math.round(app.startMs)} ms ` +
          `(first answer of any status after ${Math.round(app.listeningMs)} ms)`,
      );
    }
  }
  const row = (metric: string, value: (s: (typeof starts)[number]) => number, target?: Target) =>
    summaryRow(
      {
        scenario: 'cold start',
        metric,
        reference: {
          label: baseline.label,
          value: median(starts.filter((s) => s.label === baseline.label).map(value)),
        },
        candidate: {
          label: prodE.label,
          value: median(starts.filter((s) => s.label === prodE.label).map(value)),
        },
        target,
      },
      pairedRatio(starts, baseline.label, prodE.label, value),
    );
  return {
    name: 'cold-start',
    rows: [
      row(
        `spawn → first 200 on ${HEALTH_PATH} (ms, median of ${ctx.options.coldStarts})`,
        (s) => s.healthyMs,
        TARGETS.coldStart,
      ),
      row('spawn → first answer of any status (ms, median)', (s) => s.answerMs),
    ],
    raw: starts,
  };
}

async function memory(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { baseline, prodE } = ctx.specs;
  const paths = [LIVENESS_PATH, HEALTH_PATH, REQUESTS_PATH];
  const measured: Record<string, { idleKib: number; loadedKib: number; load: LoadResult }> = {};
  const limit = ctx.options.memoryLimitMiB;
  for (const spec of [baseline, prodE]) {
    const cgroup =
      limit === undefined
        ? undefined
        : await createMemoryCgroup(`prod-e-bench-${process.pid}-${slug(spec.label)}`, limit);
    const measure = async ([app]: RunningApp[]) => {
      await sleep(1_000);
      const idleKib = await app.rssKib();
      const load = await runLoad({
        baseUrl: app.baseUrl,
        paths,
        connections: ctx.options.connections,
        seconds: ctx.options.memorySeconds,
        headers: AUTH_HEADERS,
      });
      const loadedKib = await app.rssKib();
      measured[spec.label] = { idleKib, loadedKib, load };
      ctx.say(
        `  ${spec.label.padEnd(14)} RSS idle ${round(mib(idleKib), 1)} MiB, after ${ctx.options.memorySeconds} s load ${round(mib(loadedKib), 1)} MiB (${Math.round(load.rps)} req/s)`,
      );
    };
    try {
      await withApps(ctx, [spec], 'memory', measure, cgroup?.procsFile);
    } finally {
      // Reported, not thrown: a leftover group must not hide the scenario's own error.
      await cgroup
        ?.remove()
        .catch((error: Error) => ctx.say(`  cgroup not removed: ${error.message}`));
    }
  }
  const within = limit === undefined ? '' : `, in a ${limit} MiB memory limit`;
  const row = (metric: string, value: (m: (typeof measured)[string]) => number, target?: Target) =>
    summaryRow({
      scenario: 'memory',
      metric,
      reference: { label: baseline.label, value: value(measured[baseline.label]) },
      candidate: { label: prodE.label, value: value(measured[prodE.label]) },
      target,
    });
  return {
    name: 'memory',
    rows: [
      row(
        `RSS after ${ctx.options.memorySeconds} s mixed load (MiB${within})`,
        (m) => mib(m.loadedKib),
        TARGETS.memory,
      ),
      row(`RSS idle after start (MiB${within})`, (m) => mib(m.idleKib)),
    ],
    raw: measured,
  };
}

/** Sequential statistics reads per measurement (before contention). */
const STATS_CALLS = 20;

/**
 * Request-log analytics at scale: `--log-rows` rows (2 M by default) spread over 30 days, then
 * STATS_PATH latency on an idle service, then PARALLEL_STATS_CALLS parallel statistics loops
 * while /health and the request-log writer are watched. prod-e only (the baseline has no
 * statistics); the reference column holds the target.
 */
async function analytics(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { db, options } = ctx;
  const fillStarted = performance.now();
  await fillRequestLog(db, options.logRows);
  ctx.say(
    `  inserted ${options.logRows} rows in ${Math.round((performance.now() - fillStarted) / 1000)} s`,
  );
  try {
    return await withApps(ctx, [ctx.specs.prodE], 'analytics', async ([app]) => {
      await statsLatencies(app.baseUrl, 1); // first read: plans and caches
      const answers = await statsLatencies(app.baseUrl, STATS_CALLS);
      // Only answered reads count: a 503 (statement timeout) would make the latency look good.
      const latencies = answers.filter((a) => a.status === 200).map((a) => a.ms);
      ctx.say(
        `  ${STATS_PATH}: ${latencies.length}/${STATS_CALLS} answered 200, median ${Math.round(median(latencies))} ms, p99 ${Math.round(percentile(latencies, 99))} ms`,
      );
      const busy = await underContention(app.baseUrl, db, options.duration);
      const healthOkPercent = (100 * busy.healthOk) / busy.healthAnswers;
      const maxLagMs = Math.max(...busy.writerLagsMs);
      ctx.say(
        `  with ${PARALLEL_STATS_CALLS} parallel stats calls for ${options.duration} s: /health ${busy.healthOk}/${busy.healthAnswers} ` +
          `200; stats answers ${JSON.stringify(busy.statsStatuses)}; writer lag median ${Math.round(median([...busy.writerLagsMs]))} ms, max ${Math.round(maxLagMs)} ms`,
      );
      const s = `${STATS_PATH}, ${options.logRows.toLocaleString('en-US')} rows`;
      const row = (metric: string, value: number, target?: Target) =>
        summaryRow({
          scenario: s,
          metric,
          reference: { label: 'target', value: target ? target.limit : Number.NaN },
          candidate: { label: 'prod-e', value },
          target,
        });
      return {
        name: 'analytics',
        rows: [
          row('reads answered 200, idle service (%)', (100 * latencies.length) / STATS_CALLS),
          row('latency, idle service (ms, median)', median(latencies)),
          row('latency, idle service (ms, p99)', percentile(latencies, 99)),
          row(
            `/health answered 200 during ${PARALLEL_STATS_CALLS} parallel stats calls (%)`,
            healthOkPercent,
            TARGETS.healthDuringAnalytics,
          ),
          row(
            `request-log writer lag during them (ms, max)`,
            maxLagMs,
            TARGETS.writerLagDuringAnalytics,
          ),
        ],
        raw: { rows: options.logRows, answers, ...busy },
      };
    });
  } finally {
    await db.query('TRUNCATE request_log, request_log_hourly'); // the others start from empty
  }
}

export const SCENARIO_RUNNERS: Record<
  ScenarioName,
  (ctx: BenchContext) => Promise<ScenarioOutcome>
> = {
  live,
  health,
  'request-log': requestLog,
  'cold-start': coldStart,
  memory,
  analytics,
};

export const SCENARIO_TITLES: Record<ScenarioName, string> = {
  live: `1. ${LIVENESS_PATH} (no I/O)`,
  health: `2. ${HEALTH_PATH} (database-inclusive)`,
  'request-log': `3. ${REQUESTS_PATH}, request log on vs off (prod-e)`,
  'cold-start': '4. cold start',
  memory: '5. memory after load',
  analytics: `6. ${STATS_PATH} on a large request log, and /health beside it (prod-e)`,
};
