import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS } from '@prod-e/api-config';

import { AUTH_HEADERS, REQUESTS_PATH } from '../lib/apps';
import {
  type BenchContext,
  inTaskCgroup,
  mib,
  REQUEST_LOG_TABLE,
  type ScenarioOutcome,
  taskSize,
  withApps,
} from '../lib/harness';
import { runArrivalLoad } from '../lib/open-loop';
import { OptionsError } from '../lib/options';
import { rssChartSvg } from '../lib/rss-chart';
import type { RunningApp } from '../lib/server';
import { round } from '../lib/stats';
import { summaryRow, TARGETS, type Target } from '../lib/targets';
import type { TaskSize } from '../lib/task-cgroup';
import { type RssSample, rssSlopeMiBPerMinute } from '../lib/trend';

/** Share of the logged route's capacity the soak runs at. */
export const SOAK_SHARE = 0.7;
/** Seconds between RSS readings. */
export const SAMPLE_EVERY_S = 10;

/** Warm-up excluded from the slope: the first fifth of the soak, at most 2 minutes. */
export function soakWarmupS(soakSeconds: number): number {
  return Math.min(120, Math.round(soakSeconds / 5));
}

/** The soak chart's file: next to the results JSON, `<name>-soak-rss.svg`. */
export function chartFileFor(resultsFile: string): string {
  return `${resultsFile.replace(/\.json$/, '')}-soak-rss.svg`;
}

async function sampleRss(app: RunningApp, seconds: number, done: Promise<unknown>) {
  const samples: RssSample[] = [];
  const started = performance.now();
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const atS = Math.round((performance.now() - started) / 1000);
    samples.push({ atS, rssMiB: round(mib(await app.rssKib()), 1) });
    if (atS >= seconds) break;
    await Promise.race([sleep(SAMPLE_EVERY_S * 1000), done]);
  }
  return samples;
}

function soakRate(ctx: BenchContext): number {
  if (ctx.options.soakRate !== undefined) return ctx.options.soakRate;
  const capacity = ctx.findings.loggedRouteCapacityRps;
  if (!capacity) {
    throw new OptionsError([
      '--scenarios=soak needs the capacity scenario in the same run, or --soak-rate <req/s>',
    ]);
  }
  return Math.round(SOAK_SHARE * capacity);
}

/** prod-e alone in a task-sized cgroup under `rate` for `seconds`, RSS sampled, rows counted. */
async function loadInTask(ctx: BenchContext, rate: number, seconds: number, size: TaskSize) {
  const countRows = async () =>
    Number(
      (await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${REQUEST_LOG_TABLE}`))[0].n,
    );
  return inTaskCgroup(ctx, 'prod-e soak', size, (procsFiles, constrained) =>
    withApps(
      ctx,
      [ctx.specs.prodE],
      'soak',
      async ([app]) => {
        const rowsBefore = await countRows();
        const load = runArrivalLoad({
          baseUrl: app.baseUrl,
          path: REQUESTS_PATH,
          rate,
          seconds,
          headers: AUTH_HEADERS,
        });
        const samples = await sampleRss(app, seconds, load);
        const result = await load;
        await sleep(DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS + 500); // the writer's last batch
        return { constrained, samples, result, rows: (await countRows()) - rowsBefore };
      },
      procsFiles,
    ),
  );
}

/**
 * prod-e alone in a task-sized cgroup for `--soak-minutes` at 70 % of the logged route's
 * capacity: RSS every 10 s (charted next to the results), its slope after warm-up, errors, and
 * request-log rows against requests answered.
 */
export async function soak(ctx: BenchContext): Promise<ScenarioOutcome> {
  const rate = soakRate(ctx);
  const seconds = ctx.options.soakMinutes * 60;
  const size = taskSize(ctx.options);
  ctx.say(`  ${rate} req/s on ${REQUESTS_PATH} for ${ctx.options.soakMinutes} min`);
  const run = await loadInTask(ctx, rate, seconds, size);
  const warmupS = soakWarmupS(seconds);
  const slope = round(rssSlopeMiBPerMinute(run.samples, warmupS), 3);
  const maxRss = Math.max(...run.samples.map((s) => s.rssMiB));
  const answered = run.result.ok + run.result.non2xx;
  const within = run.constrained ? `${size.cpus} CPU / ${size.memoryMiB} MiB` : 'unconstrained';
  const chartFile = chartFileFor(ctx.resultsFile);
  await writeFile(
    chartFile,
    rssChartSvg(run.samples, {
      title: `prod-e RSS, ${rate} req/s on ${REQUESTS_PATH} (${within}); slope ${slope} MiB/min after ${warmupS / 60} min`,
      limitMiB: { value: TARGETS.soakRss.limit, label: `target ≤ ${TARGETS.soakRss.limit} MiB` },
    }),
  );
  ctx.say(
    `  RSS max ${maxRss} MiB, slope ${slope} MiB/min after ${warmupS} s; ${run.result.ok} 2xx, ` +
      `${run.result.non2xx} non-2xx, ${run.result.errors} errors, p99 ${round(run.result.p99Ms, 1)} ms; ` +
      `${run.rows} request-log rows for ${answered} requests; chart: ${chartFile}`,
  );
  const row = (metric: string, value: number, target: Target) =>
    summaryRow({
      scenario: `soak, ${rate} req/s × ${ctx.options.soakMinutes} min (${within})`,
      metric,
      reference: { label: 'target', value: target.limit },
      candidate: { label: 'prod-e', value },
      target,
    });
  return {
    name: 'soak',
    rows: [
      row(`RSS slope after ${warmupS} s (MiB/min)`, slope, TARGETS.soakSlope),
      row('RSS max (MiB)', maxRss, TARGETS.soakRss),
      row('errors and non-2xx', run.result.errors + run.result.non2xx, TARGETS.soakErrors),
      row(
        'request-log rows missing or extra',
        Math.abs(run.rows - answered),
        TARGETS.soakRowsMissing,
      ),
    ],
    raw: {
      rate,
      seconds,
      warmupS,
      slopeMiBPerMinute: slope,
      maxRssMiB: maxRss,
      ...run,
      chart: basename(chartFile),
    },
  };
}
