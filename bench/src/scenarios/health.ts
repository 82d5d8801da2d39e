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

export async function health(ctx: BenchContext): Promise<ScenarioOutcome> {
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
