import { ratio } from './stats';

/** A performance goal, checked against either the ratio or prod-e's own value. */
export interface Target {
  readonly on: 'ratio' | 'value';
  readonly op: '>=' | '<=';
  readonly limit: number;
  /** Why this limit, for the table (e.g. "≥ 2× baseline"). */
  readonly text: string;
}

export type Verdict = 'PASS' | 'MISS' | '—';

/** One line of the results table: prod-e (or a variant) against its reference. */
export interface SummaryRow {
  readonly scenario: string;
  readonly metric: string;
  readonly reference: { readonly label: string; readonly value: number };
  readonly candidate: { readonly label: string; readonly value: number };
  /** candidate ÷ reference. */
  readonly ratio: number;
  readonly target?: Target;
  readonly verdict: Verdict;
}

/** PASS/MISS of `target`; a ratio target is checked against `ratioValue` (candidate ÷ reference unless given). */
export function verdict(
  target: Target | undefined,
  candidate: number,
  reference: number,
  ratioValue = ratio(candidate, reference),
): Verdict {
  if (!target) return '—';
  const actual = target.on === 'ratio' ? ratioValue : candidate;
  if (Number.isNaN(actual)) return 'MISS';
  return (target.op === '>=' ? actual >= target.limit : actual <= target.limit) ? 'PASS' : 'MISS';
}

/**
 * Adds the ratio and the verdict. `pairedRatio` (the median of per-round ratios) replaces the
 * ratio of medians where A/B rounds exist: a round's two runs are seconds apart, so load that
 * other work puts on the shared machine hits both sides of each ratio alike.
 */
export function summaryRow(
  row: Omit<SummaryRow, 'ratio' | 'verdict'>,
  pairedRatio?: number,
): SummaryRow {
  const rowRatio = pairedRatio ?? ratio(row.candidate.value, row.reference.value);
  return {
    ...row,
    ratio: rowRatio,
    verdict: verdict(row.target, row.candidate.value, row.reference.value, rowRatio),
  };
}

/** The targets, one place. */
export const TARGETS = {
  liveThroughput: { on: 'ratio', op: '>=', limit: 2, text: '≥ 2× baseline' },
  liveP99: { on: 'ratio', op: '<=', limit: 1, text: "≤ baseline's" },
  healthThroughput: { on: 'ratio', op: '>=', limit: 3, text: '≥ 3× baseline' },
  requestLogCost: { on: 'ratio', op: '>=', limit: 0.8, text: 'on ≥ 0.8× off (cost ≤ 20 %)' },
  coldStart: { on: 'ratio', op: '<=', limit: 0.6, text: '≤ 0.6× baseline' },
  memory: { on: 'ratio', op: '<=', limit: 0.6, text: '≤ 0.6× baseline' },
  healthDuringAnalytics: { on: 'value', op: '>=', limit: 100, text: '100 %' },
  writerLagDuringAnalytics: { on: 'value', op: '<=', limit: 2_000, text: '≤ 2 s' },
  capacityVsBaseline: { on: 'ratio', op: '>=', limit: 2, text: '≥ 2× baseline' },
  liveCapacityVsFastify: { on: 'ratio', op: '>=', limit: 0.75, text: '≥ 0.75× bare Fastify' },
  soakSlope: { on: 'value', op: '<=', limit: 1, text: '< 1 MiB/min' },
  soakRss: { on: 'value', op: '<=', limit: 160, text: '≤ 160 MiB' },
  soakErrors: { on: 'value', op: '<=', limit: 0, text: '0' },
  soakRowsMissing: { on: 'value', op: '<=', limit: 0, text: 'rows = requests' },
} as const satisfies Record<string, Target>;

/**
 * "At most one database query per cache period, whatever the rate": a window of `windowMs`
 * spans at most ceil(windowMs / ttl) periods, plus one probe already in flight when it opened.
 */
export function healthQueryTarget(windowMs: number, cacheTtlMs: number): Target {
  const periods = Math.ceil(windowMs / cacheTtlMs);
  return {
    on: 'value',
    op: '<=',
    limit: periods + 1,
    text: `≤ ${periods + 1} (1 per ${cacheTtlMs} ms period)`,
  };
}
