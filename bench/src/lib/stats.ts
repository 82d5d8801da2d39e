/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** a ÷ b, or NaN when b is 0 (a ratio against nothing is not a number, not Infinity). */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

/** Rounds to `digits` decimals, for tables and JSON that people read. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** One measurement of one side in one A/B round. */
export interface RoundSample {
  readonly label: string;
  readonly round: number;
}

/**
 * Median over rounds of candidate ÷ reference, pairing the two runs of each round (rounds where
 * one side is missing, or the ratio is not finite, are skipped); NaN when no round pairs up.
 */
export function pairedRatio<S extends RoundSample>(
  samples: readonly S[],
  reference: string,
  candidate: string,
  value: (sample: S) => number,
): number {
  const ratios: number[] = [];
  for (const c of samples.filter((s) => s.label === candidate)) {
    const r = samples.find((s) => s.label === reference && s.round === c.round);
    if (r) ratios.push(value(c) / value(r));
  }
  const finite = ratios.filter(Number.isFinite);
  return finite.length > 0 ? median(finite) : Number.NaN;
}
