import { type HealthResponse, type LivenessResponse } from '@prod-e/health-contract';
import type { HealthCheckResult } from '@nestjs/terminus';

/** Terminus result → the contract's `/health` body (Terminus detail rides along). */
export function healthBody(result: HealthCheckResult, version: string): HealthResponse {
  return {
    status: result.status === 'error' || result.status === 'shutting_down' ? result.status : 'ok',
    timestamp: new Date().toISOString(),
    database: result.details.database?.status === 'up' ? 'connected' : 'disconnected',
    version,
    info: result.info as HealthResponse['info'],
    error: result.error as HealthResponse['error'],
    details: result.details,
  };
}

export function livenessBody(shuttingDown: boolean, version: string): LivenessResponse {
  return {
    status: shuttingDown ? 'shutting_down' : 'ok',
    timestamp: new Date().toISOString(),
    version,
  };
}
