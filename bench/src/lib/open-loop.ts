import { Agent, request, type RequestOptions } from 'node:http';
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

/**
 * Requests outstanding beyond which a run stops sending: a second's worth at the rate. More
 * than that waiting means latencies past a second, a failed run whatever the objective.
 */
export function backlogLimit(rate: number): number {
  return Math.max(100, Math.ceil(rate));
}

interface Tally {
  ok: number;
  non2xx: number;
  errors: number;
  readonly latencies: number[];
}

/** One GET, counted once in `tally` however it ends (answer, socket error, timeout, abort). */
function sendOne(url: URL, options: RequestOptions, dueAt: number, tally: Tally): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const settle = (count: () => void) => {
      if (settled) return;
      settled = true;
      count();
      resolve();
    };
    const failed = () => settle(() => tally.errors++);
    const req = request(url, options, (res) => {
      res.resume();
      res.on('error', failed);
      res.on('end', () =>
        settle(() => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) tally.ok++;
          else tally.non2xx++;
          tally.latencies.push(performance.now() - dueAt);
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', failed);
    req.on('close', failed); // closed without an answer (a no-op once settled)
    req.end();
  });
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
  // Aborts whatever is still queued or in flight when the run ends, so no request of this run
  // reaches the server during the next one.
  const abort = new AbortController();
  const { signal } = abort;
  const url = new URL(options.path, options.baseUrl);
  const tally: Tally = { ok: 0, non2xx: 0, errors: 0, latencies: [] };
  const pending = new Set<Promise<void>>();
  const send = (dueAt: number) => {
    const done = sendOne(
      url,
      { agent, headers: options.headers, timeout: timeoutMs, signal },
      dueAt,
      tally,
    );
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const started = performance.now();
  const endMs = options.seconds * 1000;
  let sent = 0;
  let abandoned = 0;
  for (let elapsed = 0; elapsed < endMs; elapsed = performance.now() - started) {
    if (pending.size > backlogLimit(options.rate)) {
      // Hopelessly behind: the run has failed; sending the rest would only bury the server.
      abandoned = Math.floor((endMs * options.rate) / 1000) - sent;
      break;
    }
    for (let n = dueRequests(elapsed, options.rate, sent); n > 0; n--) {
      send(started + (sent * 1000) / options.rate);
      sent++;
    }
    await sleep(TICK_MS);
  }
  await Promise.race([Promise.all(pending), sleep(timeoutMs + 1_000)]);
  abort.abort(); // the unanswered ones end as errors
  await Promise.race([Promise.all(pending), sleep(1_000)]);
  agent.destroy();
  const { ok, non2xx, latencies } = tally;
  const errors = tally.errors + abandoned;
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
