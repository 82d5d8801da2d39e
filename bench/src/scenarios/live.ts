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

export async function live(ctx: BenchContext): Promise<ScenarioOutcome> {
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
