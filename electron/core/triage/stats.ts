// Two-proportion z statistics: the significance tests of explain and the health board.

/** z of p1 = x1/n1 against p0 = x0/n0 with the pooled variance (0 when either side is empty). */
export function twoProportionZ(x1: number, n1: number, x0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 0;
  const p = (x1 + x0) / (n1 + n0);
  const variance = p * (1 - p) * (1 / n1 + 1 / n0);
  if (variance <= 0) return 0;
  return (x1 / n1 - x0 / n0) / Math.sqrt(variance);
}

/**
 * A segment's bar, in explain (its rate or its share of traffic) and on the health board (against
 * its own baseline): |z| at least this; strict, since every segment of every dimension is tested
 * (Bonferroni for ~1 000 tests at 5 %).
 */
export const Z_SEGMENT = 4;

export const rate = (x: number, n: number): number | null => (n > 0 ? x / n : null);

/** "81.2 %" (one decimal), "-" when there is nothing to divide. */
export function percent(v: number | null): string {
  if (v === null) return '-';
  return `${(Math.round(v * 1000) / 10).toFixed(1)} %`;
}

/** Slices a dispersion is estimated from, at least (two degrees of freedom). */
export const MIN_DISPERSION_SLICES = 3;

/**
 * Pearson's dispersion of the rates x/n of equal slices of time around their pooled rate: about 1
 * when the counts are binomial, more when the rate wanders from slice to slice beyond chance
 * (bursts of one merchant, retries of one payment). Null when fewer than MIN_DISPERSION_SLICES
 * slices hold attempts, or the pooled rate is 0 or 1.
 */
export function dispersion(slices: readonly { x: number; n: number }[]): number | null {
  const held = slices.filter((s) => s.n > 0);
  if (held.length < MIN_DISPERSION_SLICES) return null;
  const p = held.reduce((a, s) => a + s.x, 0) / held.reduce((a, s) => a + s.n, 0);
  if (p <= 0 || p >= 1) return null;
  const chi2 = held.reduce((a, s) => a + (s.x - s.n * p) ** 2 / (s.n * p * (1 - p)), 0);
  return chi2 / (held.length - 1);
}

/** ln(n!) (Stirling's series past 256, exact below). */
const LOG_FACTORIALS: number[] = [0];
for (let i = 1; i <= 256; i += 1) LOG_FACTORIALS.push(LOG_FACTORIALS[i - 1] + Math.log(i));
function logFactorial(n: number): number {
  if (n <= 256) return LOG_FACTORIALS[n];
  return (n + 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n ** 3);
}
const logChoose = (n: number, k: number): number => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/** ln P(X = k) for X hypergeometric: k of `draws` drawn from `total`, of which `marked` are marked. */
const logHypergeometric = (k: number, total: number, marked: number, draws: number): number =>
  logChoose(marked, k) + logChoose(total - marked, draws - k) - logChoose(total, draws);

/** ln of a sum of probabilities given by their logs (no underflow at 1e-400). */
function logSum(logs: number[]): number {
  const top = Math.max(...logs);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(logs.reduce((a, l) => a + Math.exp(l - top), 0));
}

/** A tail's terms this far (in ln) under its largest add less than 1e-17 of it: the sum stops there. */
const NEGLIGIBLE_LOG = -40;

/** z of the standard normal's upper tail holding probability exp(logP) (0 for logP >= ln 0.5). */
export function zOfUpperTail(logP: number): number {
  if (logP >= Math.log(0.5)) return 0;
  // Acklam's rational approximation while p is representable; the tail's asymptote past it.
  const p = Math.exp(logP);
  if (p > 1e-300) {
    const q = Math.sqrt(-2 * Math.log(p));
    const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    if (p < 0.02425) return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
    const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const r = p - 0.5;
    const s = r * r;
    return -((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
  }
  const t = -2 * logP;
  return Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
}

/**
 * Signed z of Fisher's exact one-sided test of x1/n1 against x0/n0: the normal z holding the same
 * tail probability, negative when x1/n1 is the lower rate. Exact where the two-proportion z is
 * not, on a few attempts: 3 failures in a merchant's 20 attempts against 1 in its 250 reads
 * z 5.2 by the normal approximation, and happens by chance once in 700 (z 3.0).
 */
export function fisherZ(x1: number, n1: number, x0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 0;
  const total = n1 + n0;
  const marked = x1 + x0;
  if (marked === 0 || marked === total || x1 * n0 === x0 * n1) return 0;
  const lo = Math.max(0, n1 - (total - marked));
  const hi = Math.min(n1, marked);
  const higher = x1 * n0 > x0 * n1;
  // The tail from x1 outward. The hypergeometric is unimodal, so once its terms fall far under
  // the largest they only fall further: summed to the end, a day's window (a million attempts)
  // took a million terms to add nothing.
  const logs: number[] = [];
  let top = -Infinity;
  for (let k = x1; higher ? k <= hi : k >= lo; k += higher ? 1 : -1) {
    const l = logHypergeometric(k, total, marked, n1);
    if (l < top + NEGLIGIBLE_LOG && l < logs[logs.length - 1]) break;
    logs.push(l);
    top = Math.max(top, l);
  }
  const z = zOfUpperTail(logSum(logs));
  return higher ? z : -z;
}

/**
 * A cell's expected count (under the pooled rate, on the smaller side) below which the
 * two-proportion z is no guide at the segment bar (|z| 4, a tail of 3e-5) and Fisher's exact test
 * decides instead. Past it the normal z is close and costs one square root; the exact test's
 * terms are read only for the few segments that small.
 */
export const EXACT_BELOW = 10;

/**
 * Signed z of x1/n1 against x0/n0: the two-proportion z, or Fisher's exact test (fisherZ) where a
 * cell's expected count is under EXACT_BELOW. On a segment's few attempts the normal z claims what
 * chance does often: 3 failures in 20 attempts against 1 in 250 reads z 5.2, and happens once in
 * 700 (z 3.0).
 */
export function proportionZ(x1: number, n1: number, x0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 0;
  const p = (x1 + x0) / (n1 + n0);
  const smallest = Math.min(n1, n0) * Math.min(p, 1 - p);
  return smallest < EXACT_BELOW ? fisherZ(x1, n1, x0, n0) : twoProportionZ(x1, n1, x0, n0);
}
