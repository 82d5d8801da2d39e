import { LIVENESS_PATH } from '@prod-e/health-contract';

import {
  abRounds,
  type BenchContext,
  compare,
  type ScenarioOutcome,
  withApps,
} from '../lib/harness';
import { TARGETS } from '../lib/targets';

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
