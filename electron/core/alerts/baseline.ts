// An exponentially weighted mean and deviation of a rule's value, learned over event time
// (one update per evaluation tick), so a replay learns exactly what live traffic taught.

export interface BaselinePrior {
  mean: number;
  deviation: number;
  /** How much the prior weighs, as event time of learning (the rule's warm-up). */
  weightMs: number;
}

export class EwmaBaseline {
  mean = 0;
  variance = 0;
  /** Event time the baseline has learned from (a prior counts as its weight); it may judge only after its warm-up. */
  learnedMs = 0;
  private samples = 0;

  constructor(
    private readonly halfLifeMs: number,
    prior: BaselinePrior | null = null,
    stepMs = 10_000,
  ) {
    if (prior) {
      // The prior is as if `weightMs` of traffic at that level had been learned: the first
      // real values move the mean gradually, and the band starts as wide as the prior says.
      this.mean = prior.mean;
      this.variance = prior.deviation * prior.deviation;
      this.learnedMs = prior.weightMs;
      this.samples = Math.max(1, Math.round(prior.weightMs / stepMs));
    }
  }

  get deviation(): number {
    return Math.sqrt(Math.max(0, this.variance));
  }

  /** Learns one value (one evaluation tick of `stepMs`). */
  update(value: number, stepMs: number): void {
    this.learnedMs += stepMs;
    this.samples++;
    // A plain running average until the exponential weights take over, so the first values
    // do not bias the mean for a whole half-life.
    const alpha = Math.max(1 - Math.pow(2, -stepMs / this.halfLifeMs), 1 / this.samples);
    // Incremental EW mean and variance (Finch, "Incremental calculation of weighted mean and variance").
    const diff = value - this.mean;
    const incr = alpha * diff;
    this.mean += incr;
    this.variance = (1 - alpha) * (this.variance + diff * incr);
  }

  /**
   * A value that breaches the baseline (or one read while an alert is active or its incident
   * is still in the window) moves only the mean, at a tenth of the speed: a spike does not
   * teach itself as normal (nor widen the band), yet a lasting level shift is accepted in the end.
   */
  nudge(value: number, stepMs: number): void {
    this.learnedMs += stepMs;
    const alpha = (1 - Math.pow(2, -stepMs / this.halfLifeMs)) / 10;
    this.mean += alpha * (value - this.mean);
  }
}
