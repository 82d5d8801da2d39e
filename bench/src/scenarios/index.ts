import { LIVENESS_PATH, HEALTH_PATH } from '@prod-e/health-contract';

import { STATS_PATH } from '../lib/analytics';
import { REQUESTS_PATH } from '../lib/apps';
import type { BenchContext, ScenarioOutcome } from '../lib/harness';
import type { ScenarioName } from '../lib/options';
import { analytics } from './analytics';
import { capacity } from './capacity';
import { coldStart } from './cold-start';
import { health } from './health';
import { live } from './live';
import { memory } from './memory';
import { requestLog } from './request-log';
import { soak } from './soak';

export const SCENARIO_RUNNERS: Record<
  ScenarioName,
  (ctx: BenchContext) => Promise<ScenarioOutcome>
> = {
  live,
  health,
  'request-log': requestLog,
  'cold-start': coldStart,
  memory,
  analytics,
  capacity,
  soak,
};

export const SCENARIO_TITLES: Record<ScenarioName, string> = {
  live: `1. ${LIVENESS_PATH} (no I/O)`,
  health: `2. ${HEALTH_PATH} (database-inclusive)`,
  'request-log': `3. ${REQUESTS_PATH}, request log on vs off (prod-e)`,
  'cold-start': '4. cold start',
  memory: '5. memory after load',
  analytics: `6. ${STATS_PATH} on a large request log, and /health beside it (prod-e)`,
  capacity:
    '7. capacity of one task within the latency objective (4 servers, prod-e also with read reuse off on the logged route; --endpoints)',
  soak: `8. soak: prod-e at 70 % of its ${REQUESTS_PATH} capacity`,
};
