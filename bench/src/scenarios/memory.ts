import { setTimeout as sleep } from 'node:timers/promises';
import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';

import { AUTH_HEADERS, REQUESTS_PATH } from '../lib/apps';
import {
  type BenchContext,
  inTaskCgroup,
  mib,
  type ScenarioOutcome,
  withApps,
} from '../lib/harness';
import { type LoadResult, runLoad } from '../lib/load';
import { type RunningApp } from '../lib/server';
import { round } from '../lib/stats';
import { summaryRow, TARGETS, type Target } from '../lib/targets';

export async function memory(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { baseline, prodE } = ctx.specs;
  const paths = [LIVENESS_PATH, HEALTH_PATH, REQUESTS_PATH];
  const measured: Record<string, { idleKib: number; loadedKib: number; load: LoadResult }> = {};
  const limit = ctx.options.memoryLimitMiB;
  const size = limit === undefined ? undefined : { memoryMiB: limit, cpus: ctx.options.cpus };
  let limited = limit !== undefined;
  for (const spec of [baseline, prodE]) {
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
    await inTaskCgroup(ctx, spec.label, size, async (procsFiles, constrained) => {
      limited &&= constrained;
      await withApps(ctx, [spec], 'memory', measure, procsFiles);
    });
  }
  const within = limited ? `, in a ${limit} MiB memory limit` : '';
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
