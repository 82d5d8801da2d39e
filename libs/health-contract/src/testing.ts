import type { HealthResponse } from './lib/health-response';
import type { LivenessResponse } from './lib/liveness-response';

const timestamp = '2025-03-14T07:11:18.325Z';

/** The smallest healthy `/health` body: no Terminus detail. */
export const healthySample: HealthResponse = { status: 'ok', timestamp, database: 'connected' };

export const unhealthySample: HealthResponse = {
  status: 'error',
  timestamp,
  database: 'disconnected',
  error: { database: { status: 'down', message: 'timeout of 1000ms exceeded' } },
};

export const livenessSample: LivenessResponse = { status: 'ok', timestamp };

export const shuttingDownSample: LivenessResponse = { status: 'shutting_down', timestamp };
