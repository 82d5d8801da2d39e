import { type HealthResponse, type LivenessResponse } from '@prod-e/health-contract';
import type { HealthCheckResult } from '@nestjs/terminus';

/**
 * Terminus result → the contract's public `/health` body: status, timestamp, database state,
 * nothing else. Terminus's detail (a driver error names the database's address) stays in the
 * process: failureOf puts it in the log.
 */
export function healthBody(result: HealthCheckResult): HealthResponse {
  return {
    status: result.status === 'error' || result.status === 'shutting_down' ? result.status : 'ok',
    timestamp: new Date().toISOString(),
    database: result.details.database?.status === 'up' ? 'connected' : 'disconnected',
  };
}

/** What the failed indicators said (`database: connect ECONNREFUSED …`), for the log. */
export function failureOf(result: HealthCheckResult): string {
  return Object.entries(result.error ?? {})
    .map(([name, result]) => {
      const { status, message } = (result ?? {}) as { status?: unknown; message?: unknown };
      return `${name}: ${typeof message === 'string' ? message : String(status)}`;
    })
    .join('; ');
}

export function livenessBody(shuttingDown: boolean, at = new Date()): LivenessResponse {
  return { status: shuttingDown ? 'shutting_down' : 'ok', timestamp: at.toISOString() };
}
