// Two-proportion z statistics: the significance tests of explain and the health board.

/** z of p1 = x1/n1 against p0 = x0/n0 with the pooled variance (0 when either side is empty). */
export function twoProportionZ(x1: number, n1: number, x0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 0;
  const p = (x1 + x0) / (n1 + n0);
  const variance = p * (1 - p) * (1 / n1 + 1 / n0);
  if (variance <= 0) return 0;
  return (x1 / n1 - x0 / n0) / Math.sqrt(variance);
}

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
