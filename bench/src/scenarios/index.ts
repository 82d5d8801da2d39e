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
};

export const SCENARIO_TITLES: Record<ScenarioName, string> = {
  live: `1. ${LIVENESS_PATH} (no I/O)`,
  health: `2. ${HEALTH_PATH} (database-inclusive)`,
  'request-log': `3. ${REQUESTS_PATH}, request log on vs off (prod-e)`,
  'cold-start': '4. cold start',
  memory: '5. memory after load',
  analytics: `6. ${STATS_PATH} on a large request log, and /health beside it (prod-e)`,
};
