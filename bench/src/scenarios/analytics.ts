import { performance } from 'node:perf_hooks';

import {
  PARALLEL_STATS_CALLS,
  STATS_PATH,
  percentile,
  fillRequestLog,
  statsLatencies,
  underContention,
} from '../lib/analytics';
import { type BenchContext, type ScenarioOutcome, withApps } from '../lib/harness';
import { median } from '../lib/stats';
import { summaryRow, TARGETS, type Target } from '../lib/targets';

/** Sequential statistics reads per measurement (before contention). */
const STATS_CALLS = 20;

/**
 * Request-log analytics at scale: `--log-rows` rows (2 M by default) spread over 30 days, then
 * STATS_PATH latency on an idle service, then PARALLEL_STATS_CALLS parallel statistics loops
 * while /health and the request-log writer are watched. prod-e only (the baseline has no
 * statistics); the reference column holds the target.
 */
export async function analytics(ctx: BenchContext): Promise<ScenarioOutcome> {
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
