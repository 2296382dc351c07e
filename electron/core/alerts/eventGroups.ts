// Per-group rings of per-second counters, over event time. Each ring holds just enough
// seconds for the longest window (plus the lateness allowance), so memory is bounded by
// (groups x seconds) whatever the event rate; the number of groups per dimension is capped.
import { WindowAggregate, type AlertInputEvent, type HistogramSource, type RunningHistograms } from './eventCounters';
import { TYPE_SLOTS, typeIndex } from '../metrics/secondBuckets';
import { DenseScoreHistogram, SparseHistogram, lagBinning, scoreBinning, type BinCounts } from './sparseHistogram';
import type { SEGMENT_GROUP_BY } from '../../../shared/alertRules';
import { BIN_DIGITS } from '../../../shared/segments';
import { RingPool } from './ringPool';

export type EventDimension = 'all' | 'merchant' | 'country' | SegmentGroupBy;
type SegmentGroupBy = (typeof SEGMENT_GROUP_BY)[number];

/** The group an event belongs to in a dimension (null: none; BINs at 6 digits as in the segment rollups). */
export function groupValueOf(e: AlertInputEvent, dimension: EventDimension): string | null | undefined {
  switch (dimension) {
    case 'all':
      return '';
    case 'merchant':
      return e.merchantId;
    case 'country':
      return e.country;
    case 'cardBin':
      return e.cardBin?.slice(0, BIN_DIGITS);
    case 'method':
      return e.method;
    default:
      return e.dimensions?.[dimension];
  }
}

/** The event dimension a rule's groupBy names ('all' when none, or per queue). */
export function eventDimensionOf(groupBy: string | null | undefined): EventDimension {
  return groupBy && groupBy !== 'queue' ? (groupBy as EventDimension) : 'all';
}

/** Which histograms a dimension's rules read: they cost far more memory than the counts. */
export interface HistogramNeeds {
  scores: boolean;
  lags: boolean;
}

/** The slot a second takes in a ring of `size` slots (seconds may be negative). */
function ringSlot(second: number, size: number): number {
  return ((second % size) + size) % size;
}

/** Which second each of `slots` slots holds: none yet. A loop, not fill(), which calls into C++. */
function emptySeconds(slots: number): Float64Array {
  const seconds = new Float64Array(slots);
  for (let i = 0; i < slots; i++) seconds[i] = -Infinity;
  return seconds;
}

/** Slots a new group's ring starts with: most groups of a high-cardinality dimension see a few seconds. */
const FIRST_RING_SLOTS = 4;
/** First rings kept for new groups (~200 bytes each): more than a sweep of a PaySim replay frees. */
const RING_POOL_MAX = 256;

/**
 * Windows at least this long (seconds) keep their counts running from one call to the next:
 * the evaluator asks the same window one tick later, and re-adding an hour of seconds every
 * 10 s tick was 88 % of the seconds visited (and 17 % of the engine thread) in a replay of
 * PaySim-derived events. Shorter windows are summed afresh: they visit few seconds.
 */
export const RUNNING_SUMS_FROM_SECONDS = 600;

/**
 * The whole stream's one series keeps every window running: summing its 1- and 5-minute
 * windows afresh at every tick was about a third of the evaluator's instructions on PaySim, and one
 * series' sums cost a few arrays. A grouped dimension's thousands of series keep only the long
 * windows running (RUNNING_SUMS_FROM_SECONDS), as their sums would cost an array each.
 */
const WHOLE_STREAM_RUNNING_FROM_SECONDS = 1;

/**
 * The counts of the seconds in [from, to) that the ring holds, kept up to date as it changes;
 * and, once a rule has read them, the score and lag histograms of the same seconds. Merging a
 * 5-minute window's 300 per-second score maps at every 10 s tick was ~2,800 instructions per
 * event of a PaySim replay (the whole stream's risk_score_p95); kept running, a tick merges the
 * 10 seconds that entered and takes out the 10 that left.
 */
class RunningSum implements RunningHistograms {
  readonly sums = new Float64Array(TYPE_SLOTS);
  /** Made on the first read; kept up to date while `scoresLive` (a window summed afresh rebuilds it on the next read). */
  scoreHist: DenseScoreHistogram | null = null;
  scoresLive = false;
  lagHist: SparseHistogram | null = null;
  lagsLive = false;

  constructor(
    public from: number,
    public to: number,
    private readonly series: HistogramSource,
  ) {}

  /** Made once: a closure per rebuild would be allocated per read. */
  private readonly mergeScores = (part: SparseHistogram): void => this.scoreHist!.merge(part);
  private readonly mergeLags = (part: SparseHistogram): void => this.lagHist!.merge(part);

  scores(): BinCounts {
    if (!this.scoresLive) {
      const h = (this.scoreHist ??= new DenseScoreHistogram());
      h.clear();
      this.series.eachHistogram('scores', this.from, this.to, this.mergeScores);
      this.scoresLive = true;
    }
    return this.scoreHist!;
  }

  lags(): SparseHistogram {
    if (!this.lagsLive) {
      this.lagHist = new SparseHistogram();
      this.series.eachHistogram('lags', this.from, this.to, this.mergeLags);
      this.lagsLive = true;
    }
    return this.lagHist!;
  }

  /** Its seconds were summed afresh: the histograms are rebuilt when next read. */
  restart(): void {
    this.scoresLive = false;
    this.lagsLive = false;
  }

  /** Adds (`sign` 1) or takes out (-1) one second's histograms, if it keeps them. */
  moveHistograms(score: SparseHistogram | undefined, lag: SparseHistogram | undefined, sign: 1 | -1): void {
    if (score !== undefined && this.scoresLive) {
      if (sign === 1) this.scoreHist!.merge(score);
      else this.scoreHist!.subtract(score);
    }
    if (lag !== undefined && this.lagsLive) {
      if (sign === 1) this.lagHist!.merge(lag);
      else this.lagHist!.subtract(lag);
    }
  }
}

export class GroupSeries implements HistogramSource {
  // One flat ring for the seconds it holds: TYPE_SLOTS counts per slot, and which second each
  // slot holds (-Infinity when empty). No object per second. The ring starts small and doubles
  // when two seconds still needed would share a slot, up to `capacity` slots: PaySim's
  // thousands of merchants that pay once in a while cost a few hundred bytes each, not the
  // ~20 KB a full ring takes (allocating and collecting those was a tenth of a replay's CPU).
  private slots: number;
  private counts: Uint32Array;
  private seconds: Float64Array;
  private scores: (SparseHistogram | undefined)[] | null;
  private lags: (SparseHistogram | undefined)[] | null;
  /** The seconds that hold counts, ascending: a long window over a sparse stream visits only these. */
  private occupied: number[] = [];
  private occupiedHead = 0;
  /** Every second up to this one has left the occupied list (and so every window). */
  private droppedThrough = -Infinity;
  /** Its running sums, one per window length (RUNNING_SUMS_FROM_SECONDS): a few, so a list, not a map. */
  private running: RunningSum[] | null = null;
  firstSecond: number;
  lastSecond: number;
  /** Bit i set once an event of type index i was seen: "traffic stopped" needs traffic to have started. */
  typesSeen = 0;

  constructor(
    /** Seconds the ring holds at most (the longest window plus the lateness allowance). */
    readonly capacity: number,
    second: number,
    needs: HistogramNeeds,
    private readonly runningFrom = RUNNING_SUMS_FROM_SECONDS,
    /** Where its first ring comes from and goes back to (see release), if anywhere. */
    private readonly pool: RingPool | null = null,
  ) {
    this.slots = Math.min(capacity, FIRST_RING_SLOTS);
    const ring = pool !== null && pool.slots === this.slots ? pool.take() : null;
    this.counts = ring ? ring.counts : new Uint32Array(this.slots * TYPE_SLOTS);
    this.seconds = ring ? ring.seconds : emptySeconds(this.slots);
    this.scores = needs.scores ? new Array(this.slots) : null;
    this.lags = needs.lags ? new Array(this.slots) : null;
    this.firstSecond = second;
    this.lastSecond = second;
  }

  private slotOf(second: number): number {
    return ringSlot(second, this.slots);
  }

  /** False when the second is older than the ring holds (too late to count). */
  add(second: number, e: AlertInputEvent): boolean {
    const newest = Math.max(this.lastSecond, second);
    if (second <= newest - this.capacity) return false;
    let i = this.slotOf(second);
    let held = this.seconds[i];
    if (held !== second && held > newest - this.capacity) {
      // Another second still in some window holds the slot: a bigger ring separates them.
      this.grow(newest, second);
      i = this.slotOf(second);
      held = this.seconds[i];
    }
    if (held !== second) {
      // The slot is empty, or its old second has left every window: reuse it.
      if (held > this.droppedThrough) this.forget(held, i);
      this.seconds[i] = second;
      this.markOccupied(second);
      const counts = this.counts;
      for (let t = i * TYPE_SLOTS, end = t + TYPE_SLOTS; t < end; t++) counts[t] = 0;
      if (this.scores) this.scores[i] = undefined;
      if (this.lags) this.lags[i] = undefined;
    }
    const type = typeIndex(e.type);
    this.counts[i * TYPE_SLOTS + type] += 1;
    let scoreBin = -1;
    if (this.scores && typeof e.score === 'number' && Number.isFinite(e.score)) {
      scoreBin = scoreBinning.toBin(e.score);
      (this.scores[i] ??= new SparseHistogram()).add(scoreBin);
    }
    let lagBin = -1;
    if (this.lags && typeof e.arrivalMs === 'number' && typeof e.timeMs === 'number') {
      lagBin = lagBinning.toBin(Math.max(0, e.arrivalMs - e.timeMs));
      (this.lags[i] ??= new SparseHistogram()).add(lagBin);
    }
    const running = this.running;
    if (running) {
      for (let k = 0; k < running.length; k++) {
        const r = running[k];
        if (second < r.from || second >= r.to) continue;
        r.sums[type] += 1;
        if (scoreBin >= 0 && r.scoresLive) r.scoreHist!.addOne(scoreBin);
        if (lagBin >= 0 && r.lagsLive) r.lagHist!.add(lagBin);
      }
    }
    this.typesSeen |= 1 << type;
    if (second > this.lastSecond) this.lastSecond = second;
    if (second < this.firstSecond) this.firstSecond = second;
    return true;
  }

  /**
   * Doubles the ring (at most to `capacity` slots, where distinct seconds of one span never
   * share a slot) until every second still needed, and the one being added, has a slot of its
   * own, and moves them over.
   */
  private grow(newest: number, adding: number): void {
    const keep: number[] = [];
    for (let i = 0; i < this.slots; i++) {
      const held = this.seconds[i];
      if (held > newest - this.capacity) keep.push(i);
      else if (held > this.droppedThrough) this.forget(held, i);
    }
    let size = this.slots;
    for (;;) {
      size = Math.min(this.capacity, size * 2);
      // The second being added needs a slot of its own too: it collided with one of these.
      const used = new Set<number>([ringSlot(adding, size)]);
      let clash = false;
      for (const i of keep) {
        const j = ringSlot(this.seconds[i], size);
        if (used.has(j)) clash = true;
        used.add(j);
      }
      if (!clash || size === this.capacity) break;
    }
    const counts = new Uint32Array(size * TYPE_SLOTS);
    const seconds = emptySeconds(size);
    const scores = this.scores ? new Array<SparseHistogram | undefined>(size) : null;
    const lags = this.lags ? new Array<SparseHistogram | undefined>(size) : null;
    for (const i of keep) {
      const s = this.seconds[i];
      const j = ringSlot(s, size);
      seconds[j] = s;
      // Copied by a loop: subarray() made a typed array per slot moved.
      for (let t = 0; t < TYPE_SLOTS; t++) counts[j * TYPE_SLOTS + t] = this.counts[i * TYPE_SLOTS + t];
      if (scores) scores[j] = this.scores![i];
      if (lags) lags[j] = this.lags![i];
    }
    this.pool?.give(this.counts, this.seconds);
    this.slots = size;
    this.counts = counts;
    this.seconds = seconds;
    this.scores = scores;
    this.lags = lags;
  }

  private markOccupied(second: number): void {
    const list = this.occupied;
    const n = list.length;
    if (n === this.occupiedHead || list[n - 1] < second) list.push(second);
    else {
      // Late event (within the lateness allowance): insert in order.
      let at = n;
      while (at > this.occupiedHead && list[at - 1] > second) at--;
      list.splice(at, 0, second);
    }
    // Forget seconds the ring no longer holds; compact now and then rather than shift().
    const oldest = Math.max(this.lastSecond, second) - this.capacity;
    while (this.occupiedHead < list.length && list[this.occupiedHead] <= oldest) {
      const gone = list[this.occupiedHead++];
      const i = this.slotOf(gone);
      if (this.seconds[i] === gone) this.forget(gone, i);
    }
    if (oldest > this.droppedThrough) this.droppedThrough = oldest;
    if (this.occupiedHead > 1024 && this.occupiedHead * 2 > list.length) {
      this.occupied = list.slice(this.occupiedHead);
      this.occupiedHead = 0;
    }
  }

  /** The sum of the seconds in [from, to), into `agg` (emptied first) or a new aggregate. */
  window(from: number, to: number, agg: WindowAggregate = new WindowAggregate()): WindowAggregate {
    agg.reset();
    if (to <= from || this.lastSecond < from) return agg;
    const start = Math.max(from, to - this.capacity, this.firstSecond);
    const length = to - from;
    if (length >= this.runningFrom && length <= this.capacity) {
      const r = this.runningSum(from, to);
      agg.counts.set(r.sums);
      if (this.scores || this.lags) agg.histogramsFrom(this, start, to, r);
      return agg;
    }
    this.addSeconds(start, to, agg.counts, 1);
    if (this.scores || this.lags) agg.histogramsFrom(this, start, to);
    return agg;
  }

  /** Calls `visit` with the histogram of each second in [from, to) that has one. */
  eachHistogram(kind: 'scores' | 'lags', from: number, to: number, visit: (h: SparseHistogram) => void): void {
    const parts = kind === 'scores' ? this.scores : this.lags;
    if (!parts) return;
    const list = this.occupied;
    for (let k = this.firstOccupied(from); k < list.length && list[k] < to; k++) {
      const i = this.slotOf(list[k]);
      const h = this.seconds[i] === list[k] ? parts[i] : undefined;
      if (h) visit(h);
    }
  }

  /**
   * The running sum of the window [from, to): moved forward from the previous call's window
   * of the same length (the seconds that left it taken out, those that entered added), or
   * summed afresh when there is none or the window moved back or past it.
   */
  private runningSum(from: number, to: number): RunningSum {
    const running = (this.running ??= []);
    const length = to - from;
    let r: RunningSum | undefined;
    for (let k = 0; k < running.length; k++) if (running[k].to - running[k].from === length) r = running[k];
    if (!r) running.push((r = new RunningSum(from, to, this)));
    else if (to < r.to || from >= r.to) {
      const sums = r.sums;
      for (let t = 0; t < TYPE_SLOTS; t++) sums[t] = 0;
      r.restart();
    } else {
      this.addSeconds(r.from, from, r.sums, -1, r);
      this.addSeconds(r.to, to, r.sums, 1, r);
      r.from = from;
      r.to = to;
      return r;
    }
    // Summed afresh, into the same array: a sparse series (a merchant paying now and then)
    // starts afresh at most ticks, and a new array each time was most of what a tick allocated.
    this.addSeconds(from, to, r.sums, 1);
    r.from = from;
    r.to = to;
    return r;
  }

  /** Adds `sign` times the counts of each held second in [from, to) to `sums` (and to `r`'s histograms, where it keeps them). */
  private addSeconds(from: number, to: number, sums: Float64Array, sign: 1 | -1, r: RunningSum | null = null): void {
    // Fields and the imported slot count in locals: read in the loop, V8 loaded and checked
    // them again for every slot added.
    const list = this.occupied;
    const seconds = this.seconds;
    const counts = this.counts;
    const size = this.slots;
    const width = TYPE_SLOTS;
    const histograms = r !== null && (r.scoresLive || r.lagsLive);
    for (let k = this.firstOccupied(from); k < list.length && list[k] < to; k++) {
      const s = list[k];
      const i = ringSlot(s, size);
      if (seconds[i] !== s) continue;
      const base = i * width;
      for (let t = 0; t < width; t++) sums[t] += sign * counts[base + t];
      if (histograms) r.moveHistograms(this.scores?.[i], this.lags?.[i], sign);
    }
  }

  /** Index in the occupied list of the first second >= `from` (binary search). */
  private firstOccupied(from: number): number {
    const list = this.occupied;
    let lo = this.occupiedHead;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Its group is forgotten: its ring goes back to the pool for a new group. Only once nothing
   * reads it again: the evaluator forgets groups between ticks, and a tick's aggregates, which
   * read their series' histograms, do not outlive the tick.
   */
  release(): void {
    this.pool?.give(this.counts, this.seconds);
  }

  /** Second `second` (held in slot `i`) leaves the ring: out of every running sum that counts it. */
  private forget(second: number, i: number): void {
    const running = this.running;
    if (!running) return;
    const counts = this.counts;
    const width = TYPE_SLOTS;
    const base = i * width;
    for (let k = 0; k < running.length; k++) {
      const r = running[k];
      if (second < r.from || second >= r.to) continue;
      const sums = r.sums;
      for (let t = 0; t < width; t++) sums[t] -= counts[base + t];
      if (r.scoresLive || r.lagsLive) r.moveHistograms(this.scores?.[i], this.lags?.[i], -1);
    }
  }
}

export class EventGroups {
  private readonly byDimension = new Map<EventDimension, Map<string, GroupSeries>>();
  // The same, as lists walked for every event: iterating the map made a [key, value] pair per
  // dimension per event, and the capacity and needs were looked up per new group.
  private readonly dimensionList: EventDimension[] = [];
  private readonly groupsList: Map<string, GroupSeries>[] = [];
  private readonly capacityList: number[] = [];
  private readonly needsList: HistogramNeeds[] = [];
  /** Rings of forgotten groups, for new ones (ringPool.ts). */
  private readonly rings = new RingPool(FIRST_RING_SLOTS, TYPE_SLOTS, RING_POOL_MAX);
  /** Events too old for their ring (counted so the operator can see lateness). */
  lateDropped = 0;
  /** Groups forgotten because a dimension was full. */
  groupsEvicted = 0;

  constructor(
    dimensions: ReadonlyMap<EventDimension, HistogramNeeds>,
    /** Seconds each dimension's rings hold (its longest window plus the lateness allowance). */
    capacitySeconds: ReadonlyMap<EventDimension, number>,
    private readonly maxGroups: number,
    /** Groups with an active alert are never evicted. */
    private readonly isActive: (dimension: EventDimension, group: string) => boolean,
  ) {
    for (const [d, needs] of dimensions) {
      const groups = new Map<string, GroupSeries>();
      this.byDimension.set(d, groups);
      this.dimensionList.push(d);
      this.groupsList.push(groups);
      this.capacityList.push(capacitySeconds.get(d)!);
      this.needsList.push(needs);
    }
  }

  add(e: AlertInputEvent, second: number): void {
    for (let k = 0; k < this.dimensionList.length; k++) {
      const dimension = this.dimensionList[k];
      const groups = this.groupsList[k];
      const value = groupValueOf(e, dimension);
      if (value === null || value === undefined || value === '') {
        if (dimension !== 'all') continue;
      }
      const key = value ?? '';
      let series = groups.get(key);
      if (!series) {
        if (groups.size >= this.maxGroups && !this.evictOne(dimension, groups)) continue;
        const runningFrom = dimension === 'all' ? WHOLE_STREAM_RUNNING_FROM_SECONDS : RUNNING_SUMS_FROM_SECONDS;
        series = new GroupSeries(this.capacityList[k], second, this.needsList[k], runningFrom, this.rings);
        groups.set(key, series);
      }
      if (!series.add(second, e) && dimension === 'all') this.lateDropped++;
    }
  }

  get(dimension: EventDimension, group: string): GroupSeries | undefined {
    return this.byDimension.get(dimension)?.get(group);
  }

  groups(dimension: EventDimension): ReadonlyMap<string, GroupSeries> {
    return this.byDimension.get(dimension) ?? new Map();
  }

  /** Forgets groups with nothing left in their ring and no active alert. */
  sweep(oldestNeededSecond: number): void {
    for (const [dimension, groups] of this.byDimension) {
      if (dimension === 'all') continue;
      for (const [key, series] of groups) {
        if (series.lastSecond < oldestNeededSecond && !this.isActive(dimension, key)) {
          groups.delete(key);
          series.release();
        }
      }
    }
  }

  // The least recently seen groups without an active alert make room: a group that is
  // bursting is by definition recent, so it stays. A tenth goes at once, so a stream with
  // many more groups than the cap does not pay a full scan per new group.
  private evictOne(dimension: EventDimension, groups: Map<string, GroupSeries>): boolean {
    const candidates = [...groups].filter(([key]) => !this.isActive(dimension, key));
    if (candidates.length === 0) return false;
    candidates.sort((a, b) => a[1].lastSecond - b[1].lastSecond);
    for (const [key, series] of candidates.slice(0, Math.max(1, Math.ceil(this.maxGroups / 10)))) {
      groups.delete(key);
      series.release();
    }
    this.groupsEvicted += Math.min(candidates.length, Math.max(1, Math.ceil(this.maxGroups / 10)));
    return true;
  }
}
