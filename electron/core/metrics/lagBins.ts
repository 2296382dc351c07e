// The arrival lag histogram's bins: 5 % wide from 1 ms to over a year (a lag of months is
// reported as months, not capped at the last bin), read at their upper edge. Bins 25 % wide read
// at their lower edge showed a 1.9 s lag as 1.58 s; read at the upper edge of a 5 % bin a lag is
// never shown below its value and at most 5 % (or 1 ms) above it, as the arrival_lag_p95 rule
// reads its own 5 % bins (alerts/sparseHistogram.ts, lagBinning). The edges are one table that
// lagBin and lagBinSql both search, so JavaScript and SQL put a lag in the same bin.

/** LAG_UPPER[b]: the longest lag (ms) bin b holds; bin b >= 1 holds (LAG_UPPER[b-1], LAG_UPPER[b]], bin 0 lags <= 0. */
export const LAG_UPPER: readonly number[] = (() => {
  const upper = [0];
  for (let v = 1; v < 400 * 86_400_000; v *= 1.05) upper.push(v);
  return upper;
})();

/** How many bins a lag histogram has: the last also holds every lag longer than its edge. */
export const LAG_BINS = LAG_UPPER.length;
const LAST = LAG_BINS - 1;

/** The bin of a lag of `ms`: the first whose upper edge is at or above it. */
export function lagBin(ms: number): number {
  if (!(ms > 0)) return 0;
  if (ms > LAG_UPPER[LAST]) return LAST;
  let lo = 1;
  let hi = LAST;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (LAG_UPPER[mid] >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** What a percentile falling in `bin` reads: its upper edge, in whole ms. */
export function lagUpperEdge(bin: number): number {
  return bin === 0 ? 0 : Math.ceil(LAG_UPPER[bin] - 1e-9);
}

/**
 * `lagBin` as an SQL expression of `ms` (an integer expression): the same binary search as nested
 * CASEs, so a query can count lags by bin without handing each row to JavaScript.
 */
export function lagBinSql(ms: string): string {
  const search = (lo: number, hi: number): string => {
    if (lo >= hi) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${ms} <= ${LAG_UPPER[mid]} THEN ${search(lo, mid)} ELSE ${search(mid + 1, hi)} END`;
  };
  return `CASE WHEN ${ms} <= 0 THEN 0 WHEN ${ms} > ${LAG_UPPER[LAST]} THEN ${LAST} ELSE ${search(1, LAST)} END`;
}
