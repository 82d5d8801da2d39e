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

export async function coldStart(ctx: BenchContext): Promise<ScenarioOutcome> {
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
