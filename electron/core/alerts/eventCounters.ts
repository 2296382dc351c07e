// What the event metrics count per second: events by type, plus (only where a rule reads
// them) the score and lag histograms the p95 metrics need. A window's aggregate is the sum
// of its seconds.
import type { PaymentDimensions } from '../../../shared/events/eventTypes';
import { TYPE_SLOTS, UNKNOWN_INDEX } from '../metrics/secondBuckets';
import { DenseScoreHistogram, SparseHistogram, type BinCounts } from './sparseHistogram';

/** The fields of a stored event the alert metrics read (a NormalizedEvent fits). */
export interface AlertInputEvent {
  type: string;
  timeMs: number | null;
  merchantId?: string | null;
  country?: string | null;
  score?: number | null;
  /** Segment dimensions (issue 13): rules may group by them. */
  cardBin?: string | null;
  method?: string | null;
  dimensions?: PaymentDimensions;
  /** When the console received it (ms); feeds the arrival-lag metric when known. */
  arrivalMs?: number | null;
}

/** Where a window's per-second histograms are read from, when a rule first asks for them. */
export interface HistogramSource {
  eachHistogram(kind: 'scores' | 'lags', from: number, to: number, visit: (h: SparseHistogram) => void): void;
}

/**
 * A window's histograms as its series keeps them running from tick to tick (eventGroups.ts):
 * merged once, then moved on by the seconds that enter and leave. Read-only for the reader.
 */
export interface RunningHistograms {
  scores(): BinCounts;
  lags(): SparseHistogram;
}

/**
 * The sum of a window's seconds. Histograms are merged only when a rule asks for them, from
 * the seconds they were read over (the rings do not change while one tick is evaluated). The
 * evaluator reuses aggregates from tick to tick (`reset`): allocating one per group and window
 * at every tick was 8 % of a PaySim replay's engine thread.
 */
export class WindowAggregate {
  readonly counts = new Float64Array(TYPE_SLOTS);
  private source: HistogramSource | null = null;
  private from = 0;
  private to = 0;
  /** Made on the first score read, then reused by this (pooled) aggregate. */
  private scoreBins: DenseScoreHistogram | null = null;
  private scoresMerged = false;
  private lagHist: SparseHistogram | null = null;
  /** The series' running histograms of this window, when it keeps them (the whole stream's windows). */
  private running: RunningHistograms | null = null;

  /** Empties it for another window. */
  reset(): this {
    // A loop, not fill(): TypedArray#fill is a call into C++ (~170 instructions for these 11
    // slots), and aggregates are emptied for every group and window at every tick.
    const counts = this.counts;
    const width = TYPE_SLOTS;
    for (let i = 0; i < width; i++) counts[i] = 0;
    this.source = null;
    this.scoresMerged = false;
    this.lagHist = null;
    this.running = null;
    return this;
  }

  /**
   * The seconds [from, to) of `source` hold this window's histograms; `running`: the same
   * histograms as the series keeps them running, read instead of merging the seconds.
   */
  histogramsFrom(source: HistogramSource, from: number, to: number, running: RunningHistograms | null = null): void {
    this.source = source;
    this.from = from;
    this.to = to;
    this.running = running;
  }

  total(types: readonly number[] | null): number {
    if (types === null) {
      let sum = 0;
      for (let i = 0; i < UNKNOWN_INDEX; i++) sum += this.counts[i];
      return sum;
    }
    return types.reduce((sum, i) => sum + this.counts[i], 0);
  }

  /** Made once: a closure per read was allocated for every group at every tick. */
  private readonly mergeScores = (part: SparseHistogram): void => this.scoreBins!.merge(part);

  scores(): BinCounts {
    if (this.running) return this.running.scores();
    if (this.scoresMerged) return this.scoreBins!;
    const h = (this.scoreBins ??= new DenseScoreHistogram());
    h.clear();
    this.source?.eachHistogram('scores', this.from, this.to, this.mergeScores);
    this.scoresMerged = true;
    return h;
  }

  lags(): SparseHistogram {
    if (this.running) return this.running.lags();
    if (this.lagHist) return this.lagHist;
    const h = (this.lagHist = new SparseHistogram());
    this.source?.eachHistogram('lags', this.from, this.to, (part) => h.merge(part));
    return h;
  }
}
