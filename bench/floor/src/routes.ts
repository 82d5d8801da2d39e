/**
 * The floor: the bench's three endpoints with nothing but the work they must do, for a bare
 * Fastify app and a bare node:http server to serve. The runner passes the paths (from the
 * shared health contract) and the database URL in the environment.
 */
import { Pool } from 'pg';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface FloorEnv {
  readonly port: number;
  readonly host: string;
  readonly livePath: string;
  readonly healthPath: string;
  readonly requestsPath: string;
  readonly databaseUrl: string;
  readonly healthCacheTtlMs: number;
}

export function floorEnv(env = process.env): FloorEnv {
  const need = (key: string) => {
    const value = env[key];
    if (!value) throw new Error(`${key} is required`);
    return value;
  };
  return {
    port: Number(need('PORT')),
    host: env.HOST ?? '127.0.0.1',
    livePath: need('FLOOR_LIVE_PATH'),
    healthPath: need('FLOOR_HEALTH_PATH'),
    requestsPath: need('FLOOR_REQUESTS_PATH'),
    databaseUrl: need('DATABASE_URL'),
    healthCacheTtlMs: Number(need('HEALTH_CACHE_TTL_MS')),
  };
}

const UP = { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: {} };
const DOWN = { status: 'error', info: {}, error: { database: { status: 'down' } }, details: {} };

/** The three handlers: liveness, a cached single-flight `SELECT 1`, the newest request-log rows. */
export function floorRoutes(env: FloorEnv) {
  const pool = new Pool({ connectionString: env.databaseUrl, max: 10 });
  let probe: { at: number; answer: Promise<Answer> } | undefined;
  const ping = async (): Promise<Answer> =>
    pool.query('SELECT 1').then(
      () => ({ status: 200, body: UP }),
      () => ({ status: 503, body: DOWN }),
    );
  return {
    live: (): Answer => ({ status: 200, body: { status: 'ok' } }),
    health: (): Promise<Answer> => {
      // One probe per cache period, shared by every caller: prod-e's policy, without the rest.
      if (!probe || Date.now() - probe.at >= env.healthCacheTtlMs) {
        probe = { at: Date.now(), answer: ping() };
      }
      return probe.answer;
    },
    requests: async (limitText: string | null): Promise<Answer> => {
      const limit = Number(limitText ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        return { status: 400, body: { message: 'limit must be 1 to 100' } };
      }
      const { rows } = await pool.query(
        `SELECT id::text, method, route, status_code, duration_ms, request_id, created_at
           FROM request_log ORDER BY request_log.created_at DESC, request_log.id DESC LIMIT $1`,
        [limit],
      );
      return { status: 200, body: { items: rows, nextCursor: null } };
    },
    close: () => pool.end(),
  };
}
