import { DURATION_HISTOGRAM, bucketOf, histogramPercentile } from './duration-histogram';

/** percentile_cont over raw values, for comparison. */
function exact(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  return sorted[lower] + (sorted[Math.ceil(position)] - sorted[lower]) * (position - lower);
}

const histogramOf = (values: number[]) => {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(bucketOf(value), (counts.get(bucketOf(value)) ?? 0) + 1);
  return counts;
};

describe('duration histogram', () => {
  it('puts each duration in the bucket whose bounds hold it, clamping both ends', () => {
    const { firstBucketMs, growth, buckets } = DURATION_HISTOGRAM;
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(firstBucketMs * growth ** 10 * 1.01)).toBe(10);
    expect(bucketOf(1e12)).toBe(buckets - 1);
  });

  it.each([0.5, 0.95, 0.99])(
    'reads the %p percentile of 10,000 skewed durations within 8 % of percentile_cont',
    (fraction) => {
      // Arrange: a deterministic, long-tailed spread from 1 ms to 2 s
      const values = Array.from(
        { length: 10_000 },
        (_, i) => 1 + 2000 * (((i * 7919) % 10_000) / 10_000) ** 3,
      );

      // Act
      const approximate = histogramPercentile(histogramOf(values), fraction);

      // Assert
      expect(Math.abs(approximate / exact(values, fraction) - 1)).toBeLessThan(0.08);
    },
  );

  it('is NaN for an empty histogram', () => {
    expect(histogramPercentile(new Map(), 0.5)).toBeNaN();
  });
});
