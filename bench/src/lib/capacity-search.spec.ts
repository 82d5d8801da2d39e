import {
  DEFAULT_OBJECTIVE,
  objectiveMisses,
  type Probe,
  runAtRate,
  type SearchPlan,
  searchCapacity,
} from './capacity-search';
import type { ArrivalLoadResult } from './open-loop';

const PLAN: SearchPlan = {
  startRate: 100,
  growth: 2,
  rampSeconds: 5,
  holdSeconds: 20,
  precision: 0.05,
  maxRate: 100_000,
};

function result(
  rate: number,
  seconds: number,
  p99Ms: number,
  extra: Partial<ArrivalLoadResult> = {},
) {
  return {
    rate,
    seconds,
    sent: rate * seconds,
    ok: rate * seconds,
    non2xx: 0,
    errors: 0,
    achievedRps: rate,
    p50Ms: p99Ms / 4,
    p99Ms,
    maxMs: p99Ms * 2,
    ...extra,
  } satisfies ArrivalLoadResult;
}

/** A server that meets the objective up to `capacity` (and, in short runs, up to `shortCapacity`). */
function fakeServer(capacity: number, shortCapacity = capacity): Probe {
  return (rate, seconds) => {
    const limit = seconds < PLAN.holdSeconds ? shortCapacity : capacity;
    return Promise.resolve(result(rate, seconds, rate <= limit ? 8 : 900));
  };
}

describe('objectiveMisses', () => {
  it('passes a run with a p99 within the objective and every request answered 2xx', () => {
    expect(objectiveMisses(result(1000, 20, 100), DEFAULT_OBJECTIVE)).toEqual([]);
  });

  it('names each way a run misses', () => {
    const bad = result(1000, 20, 140, { errors: 3, non2xx: 2, achievedRps: 900 });

    expect(objectiveMisses(bad, DEFAULT_OBJECTIVE)).toEqual([
      '3 errors',
      '2 non-2xx',
      'p99 140 ms',
      '900 of 1000 req/s answered',
    ]);
  });

  it('counts a run without any answer (NaN p99) as a miss', () => {
    expect(objectiveMisses(result(10, 20, Number.NaN), DEFAULT_OBJECTIVE)).toContain('p99 NaN ms');
  });
});

describe('searchCapacity', () => {
  it.each([137, 950, 1_234, 7_777])(
    'finds a capacity of %s within the precision, from below',
    async (capacity) => {
      const found = await searchCapacity(fakeServer(capacity), PLAN, DEFAULT_OBJECTIVE);

      expect(found.capacityRps).toBeLessThanOrEqual(capacity);
      expect(found.capacityRps).toBeGreaterThanOrEqual(capacity * (1 - PLAN.precision));
      expect(found.missedAtRps).toBeGreaterThan(capacity);
    },
  );

  it('reports only a rate that passed a full-length run, when short runs flatter the server', async () => {
    const found = await searchCapacity(fakeServer(1_000, 1_700), PLAN, DEFAULT_OBJECTIVE);

    expect(found.capacityRps).toBeLessThanOrEqual(1_000);
    expect(found.capacityRps).toBeGreaterThanOrEqual(950);
    const held = found.probes.find((p) => p.phase === 'hold' && p.rate === found.capacityRps);
    expect(held?.misses).toEqual([]);
    expect(held?.result.seconds).toBe(PLAN.holdSeconds);
  });

  it('ramps on past a short miss that a full-length run at the same rate does not confirm', async () => {
    // Short runs miss from 150 req/s (a fresh server's warm-up); full-length runs carry 1,000.
    const found = await searchCapacity(fakeServer(1_000, 150), PLAN, DEFAULT_OBJECTIVE);

    expect(found.capacityRps).toBeGreaterThanOrEqual(950);
    expect(found.capacityRps).toBeLessThanOrEqual(1_000);
    const confirmed = found.probes.filter((p) => p.phase === 'hold' && p.rate === 200);
    expect(confirmed.map((p) => p.misses)).toEqual([[]]);
  });

  it('ramps geometrically with short runs, then bisects with full-length ones', async () => {
    const found = await searchCapacity(fakeServer(1_000), PLAN, DEFAULT_OBJECTIVE);
    const ramp = found.probes.filter((p) => p.phase === 'ramp');

    // 1,600 misses twice: it is run again before it bounds the search.
    expect(ramp.map((p) => p.rate)).toEqual([100, 200, 400, 800, 1600, 1600]);
    expect(ramp.every((p) => p.result.seconds === PLAN.rampSeconds)).toBe(true);
    expect(found.probes.slice(ramp.length).every((p) => p.phase === 'hold')).toBe(true);
  });

  it('runs a missed rate again once, and takes a pass on the second run', async () => {
    let spoiled = false;
    const flaky: Probe = (rate, seconds) => {
      // One stall at the first full-length run at 1,200 req/s; the server itself carries 1,500.
      const stall = !spoiled && rate === 1_200 && seconds === PLAN.holdSeconds;
      spoiled ||= stall;
      return Promise.resolve(result(rate, seconds, stall || rate > 1_500 ? 900 : 8));
    };

    const found = await searchCapacity(flaky, PLAN, DEFAULT_OBJECTIVE);

    const at1200 = found.probes.filter((p) => p.rate === 1_200 && p.phase === 'hold');
    expect(at1200.map((p) => p.misses.length === 0)).toEqual([false, true]);
    expect(found.capacityRps).toBeGreaterThanOrEqual(1_500 * (1 - PLAN.precision));
  });

  it('gives 0 when not even the lowest rates meet the objective', async () => {
    const found = await searchCapacity(fakeServer(0), PLAN, DEFAULT_OBJECTIVE);

    expect(found.capacityRps).toBe(0);
  });

  it('reports each run as it finishes', async () => {
    const seen: number[] = [];
    const found = await searchCapacity(fakeServer(500), PLAN, DEFAULT_OBJECTIVE, (p) =>
      seen.push(p.rate),
    );

    expect(seen).toEqual(found.probes.map((p) => p.rate));
  });
});

describe('runAtRate', () => {
  /** A server whose first `stalls` runs miss (p99 900 ms), then meets the objective. */
  function stallingServer(stalls: number): Probe & { calls: number } {
    const probe = Object.assign(
      (rate: number, seconds: number) => {
        probe.calls += 1;
        return Promise.resolve(result(rate, seconds, probe.calls <= stalls ? 900 : 8));
      },
      { calls: 0 },
    );
    return probe;
  }

  it('keeps the first run when it meets the objective', async () => {
    const server = stallingServer(0);
    const run = await runAtRate(server, 300, 20, DEFAULT_OBJECTIVE);
    expect([run.runs, run.misses, run.result.p99Ms, server.calls]).toEqual([1, [], 8, 1]);
  });

  it('runs again after a miss and keeps the run that met the objective', async () => {
    const run = await runAtRate(stallingServer(1), 300, 20, DEFAULT_OBJECTIVE);
    expect([run.runs, run.misses, run.result.p99Ms]).toEqual([2, [], 8]);
  });

  it('reports the last run and its misses when every attempt misses', async () => {
    const server = stallingServer(5);
    const run = await runAtRate(server, 300, 20, DEFAULT_OBJECTIVE, 3);
    expect([run.runs, run.misses, server.calls]).toEqual([3, ['p99 900 ms'], 3]);
  });
});
