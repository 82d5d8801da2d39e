import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS } from '@prod-e/config';
import { freePort } from '@prod-e/dev-db';
import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';

import {
  PARALLEL_STATS_CALLS,
  STATS_PATH,
  percentile,
  fillRequestLog,
  statsLatencies,
  underContention,
} from '../lib/analytics';
import { type AppSpecs, AUTH_HEADERS, HEALTH_CACHE_TTL_MS } from '../lib/apps';
import { type LoadResult, runLoad } from '../lib/load';
import type { BenchOptions, ScenarioName } from '../lib/options';
import type { BenchDb, StatementCalls } from '../lib/postgres';
import { createMemoryCgroup } from '../lib/memory-cgroup';
import { type AppSpec, type RunningApp, startApp } from '../lib/server';
import { median, pairedRatio, round } from '../lib/stats';
import { healthQueryTarget, type SummaryRow, summaryRow, TARGETS, type Target } from '../lib/targets';
import { abRounds, type BenchContext, compare, launch, mib, REQUEST_LOG_TABLE, REQUESTS_PATH, type Sample, type ScenarioOutcome, slug, withApps } from '../lib/harness';

export async function memory(ctx: BenchContext): Promise<ScenarioOutcome> {
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
