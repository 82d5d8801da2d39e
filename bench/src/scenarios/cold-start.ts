import { HEALTH_PATH } from '@prod-e/health-contract';

import { type BenchContext, launch, type ScenarioOutcome } from '../lib/harness';
import { median, pairedRatio } from '../lib/stats';
import { summaryRow, TARGETS, type Target } from '../lib/targets';

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
