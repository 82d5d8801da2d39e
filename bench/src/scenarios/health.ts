import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HEALTH_PATH } from '@prod-e/health-contract';

import { HEALTH_CACHE_TTL_MS } from '../lib/apps';
import {
  abRounds,
  type BenchContext,
  compare,
  loadRows,
  type Sample,
  type ScenarioOutcome,
  withApps,
} from '../lib/harness';
import { healthQueryTarget, summaryRow, TARGETS } from '../lib/targets';

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
        ...loadRows(s, samples, base, prod, { throughput: TARGETS.healthThroughput }),
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
