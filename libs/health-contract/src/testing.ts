import type { HealthResponse } from './lib/health-response';
import type { LivenessResponse } from './lib/liveness-response';

const timestamp = '2025-03-14T07:11:18.325Z';

/** A healthy `/health` body: the public keys, nothing else. */
export const healthySample: HealthResponse = { status: 'ok', timestamp, database: 'connected' };

export const unhealthySample: HealthResponse = {
  status: 'error',
  timestamp,
  database: 'disconnected',
};

export const livenessSample: LivenessResponse = { status: 'ok', timestamp };

export const shuttingDownSample: LivenessResponse = { status: 'shutting_down', timestamp };
