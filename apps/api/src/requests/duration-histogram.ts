/**
 * The duration histogram of request_log_hourly: bucket i holds durations in
 * [FIRST_BUCKET_MS · GROWTH^i, FIRST_BUCKET_MS · GROWTH^(i+1)) (bucket 0 everything below, the
 * last bucket everything above). Log-scale buckets keep the relative error of a percentile read
 * from them within half a bucket, about ±7 %, from 0.1 ms to 87 s. The migration builds the SQL
 * function request_log_duration_bucket from these same constants.
 */
export const DURATION_HISTOGRAM = {
  firstBucketMs: 0.1,
  growth: 1.15,
  buckets: 99,
} as const;

const { firstBucketMs, growth, buckets } = DURATION_HISTOGRAM;

/** The bucket of a duration, as request_log_duration_bucket computes it in SQL. */
export function bucketOf(durationMs: number): number {
  const index = Math.floor(
    Math.log(Math.max(durationMs, firstBucketMs) / firstBucketMs) / Math.log(growth),
  );
  return Math.min(buckets - 1, Math.max(0, index));
}

function bucketBounds(bucket: number): [number, number] {
  const lower = bucket === 0 ? 0 : firstBucketMs * growth ** bucket;
  return [lower, firstBucketMs * growth ** (bucket + 1)];
}

/**
 * The `fraction` percentile of a histogram (bucket → count), interpolated like PostgreSQL's
 * percentile_cont: the value at rank fraction·(n−1), placed within its bucket in proportion to
 * its rank there. NaN for an empty histogram.
 */
export function histogramPercentile(counts: ReadonlyMap<number, number>, fraction: number): number {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return Number.NaN;
  const rank = fraction * (total - 1);
  let below = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    const count = counts.get(bucket) ?? 0;
    if (rank < below + count) {
      const [lower, upper] = bucketBounds(bucket);
      return lower + (upper - lower) * ((rank - below + 0.5) / count);
    }
    below += count;
  }
  return bucketBounds(Math.max(...counts.keys()))[1];
}
