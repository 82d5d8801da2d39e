/** One RSS reading of a soak: seconds since the load started, resident set size in MiB. */
export interface RssSample {
  readonly atS: number;
  readonly rssMiB: number;
}

/** Least-squares slope of y over x; NaN with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}

/**
 * RSS growth in MiB per minute after `warmupS` (heap and JIT settle first, so early growth is
 * not a leak): the least-squares slope of the later samples.
 */
export function rssSlopeMiBPerMinute(samples: readonly RssSample[], warmupS: number): number {
  const settled = samples.filter((s) => s.atS >= warmupS);
  return 60 * leastSquaresSlope(settled.map((s) => ({ x: s.atS, y: s.rssMiB })));
}
