import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS } from '@prod-e/api-config';

import { REQUESTS_PATH } from '../lib/apps';
import {
  abRounds,
  type BenchContext,
  compare,
  loadRows,
  REQUEST_LOG_TABLE,
  type ScenarioOutcome,
  withApps,
} from '../lib/harness';
import { TARGETS } from '../lib/targets';

export async function requestLog(ctx: BenchContext): Promise<ScenarioOutcome> {
  const { db } = ctx;
  const countRows = async () =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${REQUEST_LOG_TABLE}`))[0].n);
  return withApps(ctx, [ctx.specs.prodE, ctx.specs.prodENoLog], 'log', async ([on, off]) => {
    let before = 0;
    const samples = await abRounds(ctx, [on, off], [REQUESTS_PATH], {
      before: async () => {
        before = await countRows();
        await db.resetStatements();
      },
      after: async (app) => {
        // Let the batched writer flush what it buffered, so the count is complete and the
        // next window is not charged for this one's inserts.
        if (app === on) await sleep(DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS + 500);
        const inserts = (await db.statements()).filter((s) => /^\s*INSERT INTO/i.test(s.query));
        return {
          insertStatements: inserts.reduce((sum, s) => sum + s.calls, 0),
          rowsLogged: (await countRows()) - before,
        };
      },
    });
    const s = `${REQUESTS_PATH} log on vs off`;
    return {
      name: 'request-log',
      rows: [
        ...loadRows(s, samples, off, on, { throughput: TARGETS.requestLogCost }),
        compare(s, 'rows logged per request', samples, off, on, (x) =>
          x.load.ok > 0 ? (x.rowsLogged ?? 0) / x.load.ok : Number.NaN,
        ),
        compare(s, 'INSERT statements per 1,000 requests', samples, off, on, (x) =>
          x.load.ok > 0 ? (1000 * (x.insertStatements ?? 0)) / x.load.ok : Number.NaN,
        ),
      ],
      raw: samples,
    };
  });
}
