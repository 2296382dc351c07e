// Authorization latency as a log-scale histogram: bucket i holds latencies in
// [lower(i), lower(i + 1)), eight buckets per doubling, so a percentile read from the
// buckets is within about 4.5 % of the exact one while a minute of any traffic stays a few
// dozen rows. The engine writes bucket counts (per-minute rollups); the dashboard merges them.

/** Buckets per doubling of the latency. */
export const LATENCY_BUCKETS_PER_OCTAVE = 8;
/**
 * The last bucket holds everything from 2^(MAX/8) ms (2^26 ms, ~18.6 h) up. It was 128 (2^16 ms,
 * 65.5 s): a 90 s authorization or a 2-minute 3-D Secure challenge read as 68 s. Rows stored
 * under that bound keep their bucket 128, read as before.
 */
export const LATENCY_MAX_BUCKET = 208;

/** The bucket of a latency in ms (negative or non-finite: null, not counted). */
export function latencyBucket(ms: number): number | null {
  if (!Number.isFinite(ms) || ms < 0) return null;
  const i = Math.floor(LATENCY_BUCKETS_PER_OCTAVE * Math.log2(ms + 1));
  return Math.min(i, LATENCY_MAX_BUCKET);
}

/** The smallest latency bucket `i` holds. */
export function bucketLower(i: number): number {
  return 2 ** (i / LATENCY_BUCKETS_PER_OCTAVE) - 1;
}

/** What a percentile in bucket `i` is drawn as: the bucket's geometric middle. */
export function bucketValue(i: number): number {
  return 2 ** ((i + 0.5) / LATENCY_BUCKETS_PER_OCTAVE) - 1;
}

/**
 * The q-quantile (0 < q <= 1) of a histogram given as bucket -> count, or null when empty.
 * Nearest rank: the bucket holding the ceil(q * n)-th smallest latency.
 */
export function histogramQuantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let n = 0;
  for (const c of counts.values()) n += c;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const i of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(i) ?? 0;
    if (seen >= rank) return bucketValue(i);
  }
  return null;
}
