import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { percentile } from './analytics';

export interface ArrivalLoadOptions {
  readonly baseUrl: string;
  readonly path: string;
  /** Requests per second, sent on schedule whether or not earlier ones were answered. */
  readonly rate: number;
  readonly seconds: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Keep-alive connections at most (more requests wait in the client's queue, timed). */
  readonly connections?: number;
  /** A request unanswered this long after its scheduled time counts as an error. */
  readonly timeoutMs?: number;
}

/** What one constant-arrival-rate run measured. */
export interface ArrivalLoadResult {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  readonly ok: number;
  readonly non2xx: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** 2xx answers per second of the run. */
  readonly achievedRps: number;
  /** Latencies from each request's scheduled send time (no coordinated omission). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Requests due by `elapsedMs` at `rate` per second, minus those already sent. */
export function dueRequests(elapsedMs: number, rate: number, sent: number): number {
  return Math.max(0, Math.floor((elapsedMs * rate) / 1000) - sent);
}

/** How often the scheduler wakes: a few ms, so bursts stay small even at thousands per second. */
const TICK_MS = 2;

/**
 * An open-loop load: request i is due at i / rate seconds, sent then over a pool of keep-alive
 * connections, and timed from when it was due, so a server that falls behind shows it in the
 * latency (autocannon's `overallRate` instead sends each second's quota at once, then waits).
 */
export async function runArrivalLoad(options: ArrivalLoadOptions): Promise<ArrivalLoadResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? 128 });
  const url = new URL(options.path, options.baseUrl);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();
  const send = (dueAt: number) => {
    const done = new Promise<void>((resolve) => {
      const req = request(url, { agent, headers: options.headers, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) ok++;
          else non2xx++;
          latencies.push(performance.now() - dueAt);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const started = performance.now();
  const endMs = options.seconds * 1000;
  let sent = 0;
  for (let elapsed = 0; elapsed < endMs; elapsed = performance.now() - started) {
    for (let n = dueRequests(elapsed, options.rate, sent); n > 0; n--) {
      send(started + (sent * 1000) / options.rate);
      sent++;
    }
    await sleep(TICK_MS);
  }
  await Promise.race([Promise.all(pending), sleep(timeoutMs + 1_000)]);
  errors += pending.size; // still unanswered: counted, then cut off
  agent.destroy();
  return {
    rate: options.rate,
    seconds: options.seconds,
    sent,
    ok,
    non2xx,
    errors,
    achievedRps: ok / options.seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length > 0 ? latencies.reduce((max, ms) => Math.max(max, ms)) : Number.NaN,
  };
}
