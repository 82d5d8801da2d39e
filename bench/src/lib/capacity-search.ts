import type { ArrivalLoadResult } from './open-loop';

/** The latency objective a rate must meet to count as carried. */
export interface Objective {
  readonly p99Ms: number;
  /**
   * Share of the offered rate that must come back 2xx: below it the server (or the machine)
   * fell behind, even if the answers it did give were fast.
   */
  readonly minAchievedShare: number;
}

export const DEFAULT_OBJECTIVE: Objective = { p99Ms: 100, minAchievedShare: 0.98 };

/** Why a run missed the objective (empty: it met it). */
export function objectiveMisses(result: ArrivalLoadResult, objective: Objective): string[] {
  const misses: string[] = [];
  if (result.errors > 0) misses.push(`${result.errors} errors`);
  if (result.non2xx > 0) misses.push(`${result.non2xx} non-2xx`);
  if (!(result.p99Ms <= objective.p99Ms)) misses.push(`p99 ${Math.round(result.p99Ms)} ms`);
  if (result.achievedRps < objective.minAchievedShare * result.rate) {
    misses.push(`${Math.round(result.achievedRps)} of ${result.rate} req/s answered`);
  }
  return misses;
}

export interface SearchPlan {
  /** First rate of the ramp, requests/s. */
  readonly startRate: number;
  /** The ramp multiplies the rate by this until a short run misses. */
  readonly growth: number;
  /** Seconds of each ramp run (short: it only brackets the capacity). */
  readonly rampSeconds: number;
  /** Seconds of each bisection run; the reported rate met the objective over this long. */
  readonly holdSeconds: number;
  /** Stop when the bracket is this narrow, relative to its upper end (0.1 = 10 %). */
  readonly precision: number;
  /** Give up growing past this rate (a generator or loopback limit, not the server's). */
  readonly maxRate: number;
}

export interface ProbeRecord<R extends ArrivalLoadResult = ArrivalLoadResult> {
  readonly phase: 'ramp' | 'hold';
  readonly rate: number;
  readonly result: R;
  readonly misses: readonly string[];
}

export interface CapacityResult<R extends ArrivalLoadResult = ArrivalLoadResult> {
  /** The highest rate that met the objective over `holdSeconds`; 0 if none did. */
  readonly capacityRps: number;
  /** The lowest rate seen to miss it (the bracket's upper end). */
  readonly missedAtRps: number;
  readonly probes: readonly ProbeRecord<R>[];
}

export type Probe<R extends ArrivalLoadResult = ArrivalLoadResult> = (
  rate: number,
  seconds: number,
) => Promise<R>;

/** Runs at one rate until a run meets the objective: the last run, and why it missed (if it did). */
export interface RateRun<R extends ArrivalLoadResult = ArrivalLoadResult> {
  readonly result: R;
  readonly misses: readonly string[];
  /** Runs made: more than one when an earlier one missed. */
  readonly runs: number;
}

/**
 * `probe` at `rate` for `seconds`, again (up to `attempts` runs in all) while it misses: a figure
 * read at a rate, such as the CPU the autoscaling policy would see there, comes from a run the
 * server carried, not from one a stall of other work on a shared machine spoiled.
 */
export async function runAtRate<R extends ArrivalLoadResult>(
  probe: Probe<R>,
  rate: number,
  seconds: number,
  objective: Objective,
  attempts = 2,
): Promise<RateRun<R>> {
  for (let runs = 1; ; runs += 1) {
    const result = await probe(rate, seconds);
    const misses = objectiveMisses(result, objective);
    if (misses.length === 0 || runs >= attempts) return { result, misses, runs };
  }
}

/**
 * The highest constant arrival rate that meets `objective`: a geometric ramp of short runs
 * brackets it, then bisection with full-length runs narrows the bracket to `precision`. The
 * answer is always a rate that passed a full-length run (a ramp pass is only a hint); a rate
 * counts as missed only when a second run at it misses too, and the ramp stops only at a rate a
 * full-length run misses as well.
 */
export async function searchCapacity<R extends ArrivalLoadResult>(
  probe: Probe<R>,
  plan: SearchPlan,
  objective: Objective,
  onProbe: (record: ProbeRecord<R>) => void = () => undefined,
): Promise<CapacityResult<R>> {
  const probes: ProbeRecord<R>[] = [];
  const recorded =
    (phase: ProbeRecord['phase']): Probe<R> =>
    async (rate, seconds) => {
      const result = await probe(rate, seconds);
      const record = { phase, rate, result, misses: objectiveMisses(result, objective) };
      probes.push(record);
      onProbe(record);
      return result;
    };
  const run = async (phase: ProbeRecord['phase'], rate: number) => {
    const seconds = phase === 'ramp' ? plan.rampSeconds : plan.holdSeconds;
    return (await runAtRate(recorded(phase), rate, seconds, objective)).misses.length === 0;
  };

  let held = 0; // highest rate that passed a full-length run
  const carries = async (rate: number) => {
    if (await run('ramp', rate)) return true;
    // A short miss ends the ramp only if a full-length run misses too: a fresh server's first
    // short runs also pay for its warm-up (JIT compilation, connections, caches).
    if (!(await run('hold', rate))) return false;
    held = rate;
    return true;
  };
  let lo = 0; // highest rate known (or hoped, from the ramp) to pass
  let hi = plan.startRate;
  while (hi <= plan.maxRate && (await carries(hi))) {
    lo = hi;
    hi = Math.round(hi * plan.growth);
  }
  while (lo > held || hi - lo > plan.precision * hi) {
    if (hi - lo <= plan.precision * hi || hi - lo < 2) {
      // Narrow enough, but `lo` only passed a short run: hold it, or look lower.
      if (lo <= held) break;
      if (await run('hold', lo)) held = lo;
      else [hi, lo] = [lo, Math.max(held, Math.round(lo / plan.growth))];
      continue;
    }
    const mid = Math.round((lo + hi) / 2);
    if (await run('hold', mid)) [lo, held] = [mid, mid];
    else hi = mid;
  }
  return { capacityRps: held, missedAtRps: hi, probes };
}
