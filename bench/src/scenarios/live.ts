import { LIVENESS_PATH } from '@prod-e/health-contract';

import {
  abRounds,
  type BenchContext,
  loadRows,
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
      rows: loadRows(s, samples, base, prod, {
        throughput: TARGETS.liveThroughput,
        p99: TARGETS.liveP99,
      }),
      raw: samples,
    };
  });
}
