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
