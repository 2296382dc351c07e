// A histogram keyed by bin number, holding only the bins that were hit. Per-second buckets
// keep one each for risk scores and arrival lags, so a window's p95 is a merge of small maps
// rather than a sort of every value (memory stays bounded whatever the event rate).

export type Binning = { toBin(value: number): number; fromBin(bin: number): number };

/** Risk scores are 0-100: one bin per point is the resolution an operator reads. */
export const scoreBinning: Binning = {
  toBin: (v) => Math.min(100, Math.max(0, Math.round(v))),
  fromBin: (b) => b,
};

// Lags span ms to hours: log bins of 5 % keep the error small at every scale.
const LOG_STEP = Math.log(1.05);
export const lagBinning: Binning = {
  toBin: (v) => (v <= 1 ? 0 : Math.ceil(Math.log(v) / LOG_STEP)),
  fromBin: (b) => (b === 0 ? 0 : Math.round(Math.exp(b * LOG_STEP))),
};

export class SparseHistogram {
  readonly bins = new Map<number, number>();
  count = 0;

  add(bin: number, n = 1): void {
    this.bins.set(bin, (this.bins.get(bin) ?? 0) + n);
    this.count += n;
  }

  merge(other: SparseHistogram): void {
    for (const [bin, n] of other.bins) this.add(bin, n);
  }

  /** Takes out what `merge(other)` put in; a bin left empty goes (a window's running histogram moves on for hours). */
  subtract(other: SparseHistogram): void {
    for (const [bin, n] of other.bins) {
      const left = (this.bins.get(bin) ?? 0) - n;
      if (left === 0) this.bins.delete(bin);
      else this.bins.set(bin, left);
    }
    this.count -= other.count;
  }

  /** Nearest-rank quantile, as a bin number; null when empty. */
  quantileBin(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const bin of [...this.bins.keys()].sort((a, b) => a - b)) {
      seen += this.bins.get(bin)!;
      if (seen >= rank) return bin;
    }
    return null;
  }
}

/** What a window's merged histogram answers. */
export interface BinCounts {
  readonly count: number;
  quantileBin(q: number): number | null;
}

/** Bins of scoreBinning: 0 to 100. */
export const SCORE_BINS = 101;

/**
 * A window's merged risk-score histogram, one slot per score bin, ranked by a scan. Merging
 * into a map and sorting its keys at every tick was an eighth of evaluating a month of sparse
 * traffic; this one is cleared and reused from tick to tick.
 */
export class DenseScoreHistogram implements BinCounts {
  private readonly slots = new Float64Array(SCORE_BINS);
  count = 0;

  clear(): void {
    if (this.count > 0) this.slots.fill(0);
    this.count = 0;
  }

  merge(part: SparseHistogram): void {
    // One callback for every merge: an [bin, n] pair per bin (for-of), or a closure per merge,
    // was most of what evaluating a month of sparse traffic allocated.
    part.bins.forEach(this.addBin);
    this.count += part.count;
  }

  /** Takes out what `merge(part)` put in: a running window's second leaving it. */
  subtract(part: SparseHistogram): void {
    part.bins.forEach(this.subtractBin);
    this.count -= part.count;
  }

  private readonly addBin = (n: number, bin: number): void => {
    this.slots[bin] += n;
  };

  private readonly subtractBin = (n: number, bin: number): void => {
    this.slots[bin] -= n;
  };

  /** One score of a second inside a running window (an event that came while the window held its second). */
  addOne(bin: number): void {
    this.slots[bin] += 1;
    this.count += 1;
  }

  /** Nearest-rank quantile, as a bin number; null when empty (as SparseHistogram's). */
  quantileBin(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let bin = 0; bin < SCORE_BINS; bin++) {
      seen += this.slots[bin];
      if (seen >= rank) return bin;
    }
    return null;
  }
}
