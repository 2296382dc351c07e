import type { EngineSnapshot, QueueDepth, QueueDepthPoint, RateWindows, ThroughputPoint } from '../../../shared/metrics';
import { SERIES_MAX_POINTS } from '../../../shared/metrics';
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import type { IngestedEvent } from '../store/eventWriter';
import { ArrivalMetrics } from './arrivalMetrics';
import { LAG_BINS, lagBin, lagUpperEdge } from './lagBins';
import { RATE_SLOTS, SecondRing, TYPE_KEYS, histogramPercentile, typeIndex, type SecondBucket } from './secondBuckets';

/** Seconds of event time the windows keep before the clock they are read at. */
export const KEEP_SECONDS = 15 * 60;
/** How far ahead of the clock an event may pull the windows' present: what the ring accepts ahead (SecondRing.bucket). */
const AHEAD_OF_CLOCK_MS = 60_000;
/**
 * How far past the present a second is kept for an event stamped ahead (a producer's clock
 * minutes fast shows once the clock reaches it). Further ahead it is kept in no window: a
 * producer years ahead added a second each second it sent, never evicted (eviction is of the
 * past), and every read of the windows walked them all.
 */
const AHEAD_KEPT_SECONDS = KEEP_SECONDS;

/** The present a second at `sec` is judged against: its own when a little ahead, never further than AHEAD_KEPT_SECONDS. */
function presentFor(nowSec: number, sec: number): number {
  return Math.min(Math.max(nowSec, sec), nowSec + AHEAD_KEPT_SECONDS);
}
/** Lag histograms kept for reuse (~2 KB each): a replay at full speed starts thousands of arrival seconds between two snapshots (which evict them), as many as the map held at its largest. */
const SPARE_LAG_HISTS = 4096;
const { authorized: AUTHORIZED, declined: DECLINED, failed: FAILED, scored: SCORED, flagged: FLAGGED, blocked: BLOCKED } = RATE_SLOTS;
/** Currencies whose authorized volume a snapshot carries (the busiest); `authorizedCurrencies` counts them all. */
const AUTHORIZED_CURRENCIES_SENT = 8;

/** Stored events of one arrival second and lag bin (null: of unknown types, which have no lag), counted. */
export interface StoredArrivals {
  sec: number;
  lagBin: number | null;
  count: number;
  /** Of them, those more than LATE_AFTER_MS behind, and the sum of their lags. */
  late: number;
  lateLagMs: number;
}

/** What the windows count of an event: a committed one's fields, or a stored one's (addStored). */
type CountedEvent = Pick<IngestedEvent, 'type' | 'score' | 'amount' | 'currency' | 'arrivalMs'> & { category: string; timeMs: number };

/**
 * Windows over event time (throughput, rates) and arrival time (lag), fed with events as
 * they commit. Everything is bounded: 15 minutes of per-second buckets, fixed histograms.
 */
export class LiveMetrics {
  private readonly byEventTime = new SecondRing(KEEP_SECONDS);
  private readonly lagBySecond = new Map<number, Uint32Array>();
  /**
   * Histograms of arrival seconds no longer kept, emptied for the next new second: a replay of
   * PaySim-derived events starts a new arrival second every event or two, and a new ~2 KB
   * Uint32Array each time (a call into C++ and a backing store for the GC) was most of the
   * typed arrays a replay's engine thread made.
   */
  private readonly spareLagHists: Uint32Array[] = [];
  private lastTailSec: number | null = null;
  /**
   * Counts by type stored since the last snapshot for seconds a tail already sent: with a
   * producer two seconds behind, every event came after its second had gone out, and the
   * throughput chart stayed empty while events were stored. At most the 15 minutes kept.
   */
  private lateBySecond = new Map<number, Uint32Array>();
  private queues: QueueDepth[] = [];
  private arrivals = new ArrivalMetrics();
  /** The broker node's alarms and totals, from the management API (null without it). */
  brokerNode: BrokerNodeHealth | null = null;
  private pendingQueuePoints: QueueDepthPoint[] = [];
  /** Latest event time seen: the clock of a replay. */
  watermark: number | null = null;
  lastArrival: number | null = null;
  /**
   * A replay sought back (engine/replayRefill.ts): the windows hold what is stored up to this
   * event time (ms), filled from the store, and count a committed event only when it is not
   * later (the refill counts those once the clock reaches them). Null otherwise.
   */
  storedThrough: number | null = null;
  /** See noteStoredArrivedBy. */
  private storedArrivedBy: number | null = null;

  /** Seconds of event time held in the windows (bounded: 15 minutes back, AHEAD_KEPT_SECONDS ahead). */
  get secondsHeld(): number {
    return this.byEventTime.size;
  }

  observe(events: IngestedEvent[], nowMs: number): void {
    const nowSec = this.presentSec(nowMs);
    for (const e of events) {
      const t = e.timeMs as number;
      if (this.watermark === null || t > this.watermark) this.watermark = t;
      if (this.lastArrival === null || e.arrivalMs > this.lastArrival) this.lastArrival = e.arrivalMs;
      if (this.storedThrough !== null && t > this.storedThrough) continue;
      const b = this.byEventTime.bucket(Math.floor(t / 1000), presentFor(nowSec, Math.floor(t / 1000)));
      if (b) this.noteLate(b.sec, typeIndex(e.type), 1);
      this.count(e, t, b);
    }
  }

  /** One event into its second's bucket (when kept) and the arrival windows. */
  private count(e: Omit<CountedEvent, 'timeMs'>, t: number, b: SecondBucket | null | undefined): void {
    if (b) countInSecond(b, e);
    this.countArrival(e, t);
  }

  /** A lag histogram for a new arrival second: a spare one emptied, or a new one. */
  private emptyLagHist(): Uint32Array {
    const hist = this.spareLagHists.pop();
    if (!hist) return new Uint32Array(LAG_BINS);
    // One fill (a call into C++) over ~500 bins costs less than a loop over them.
    hist.fill(0);
    return hist;
  }

  /** Keeps the histogram of a second no longer held for the next new one (at most SPARE_LAG_HISTS). */
  private spareLagHist(hist: Uint32Array): void {
    if (this.spareLagHists.length < SPARE_LAG_HISTS) this.spareLagHists.push(hist);
  }

  /** One event into the arrival windows (by its arrival second). */
  private countArrival(e: Omit<CountedEvent, 'timeMs'>, t: number): void {
    // Kept by arrival time, read at the arrival clock (arrivalClock): never ahead of it, so
    // a replay's backlog recorded arriving long after its events counts as it did live.
    const arrivalSec = Math.floor(e.arrivalMs / 1000);
    this.arrivals.observe(e.arrivalMs, t);
    if (e.category !== 'unknown') {
      let hist = this.lagBySecond.get(arrivalSec);
      if (!hist) {
        hist = this.emptyLagHist();
        this.lagBySecond.set(arrivalSec, hist);
      }
      hist[lagBin(Math.max(0, e.arrivalMs - t))] += 1;
    }
  }

  /**
   * A replay sought back: the windows (event time and arrival) are emptied, to be filled from the
   * store by `addStored` (engine/replayRefill.ts). The newest event time and arrival handled stay.
   * The throughput tail starts again at the new clock: it went on from the second sent last, ahead
   * of the clock, so no second the clock passed again was sent (the renderer, which restarts its
   * series when the clock goes back, had a gap up to the old position), and late counts gathered
   * for those seconds ahead are dropped.
   */
  clearWindows(): void {
    this.storedArrivedBy = null;
    this.lastTailSec = null;
    this.lateBySecond.clear();
    this.byEventTime.evictBefore(Infinity);
    for (const hist of this.lagBySecond.values()) this.spareLagHist(hist);
    this.lagBySecond.clear();
    this.arrivals = new ArrivalMetrics();
  }

  /**
   * Stored events (in time order) counted as the commits that stored them were: a replay sought
   * back reads the windows a replay that reached its clock from the start would read. Their
   * seconds are kept whatever the present (the reader reads only the 15 minutes before the clock).
   */
  addStored(events: Iterable<CountedEvent>): void {
    for (const e of events) this.count(e, e.timeMs, this.byEventTime.at(Math.floor(e.timeMs / 1000)));
  }

  /** Stored events into their seconds only, not the arrival windows (those are filled by `addStoredArrivals`). */
  addStoredByTime(events: Iterable<CountedEvent>): void {
    for (const e of events) countInSecond(this.byEventTime.at(Math.floor(e.timeMs / 1000)), e);
  }

  /** The scores of stored risk.scored events into their seconds ([event time ms, score] pairs). */
  addStoredScores(scores: Iterable<readonly [number, number]>): void {
    for (const [timeMs, score] of scores) this.byEventTime.at(Math.floor(timeMs / 1000)).addScore(score);
  }

  /** The newest arrival of each second's stored events ([second, arrival ms] pairs): what "last event" is read from. */
  addStoredNewestArrivals(seconds: Iterable<readonly [number, number]>): void {
    for (const [sec, arrivalMs] of seconds) {
      const b = this.byEventTime.at(sec);
      if (b.newestArrival === null || arrivalMs > b.newestArrival) b.newestArrival = arrivalMs;
    }
  }

  /**
   * Stored events counted by arrival second (StoredArrivals rows): the arrival windows of a replay
   * sought back, which hold what arrived in the 2 minutes before the arrival clock whatever its
   * event time (a backlog of events hours old among them).
   */
  addStoredArrivals(rows: Iterable<StoredArrivals>): void {
    for (const r of rows) {
      this.arrivals.observeCounted(r.sec, r.count, r.late, r.lateLagMs);
      if (r.lagBin === null) continue;
      let hist = this.lagBySecond.get(r.sec);
      if (!hist) {
        hist = this.emptyLagHist();
        this.lagBySecond.set(r.sec, hist);
      }
      hist[r.lagBin] += r.count;
    }
  }

  /**
   * A replay sought back: the newest arrival of the events stored up to the clock that the
   * seconds kept do not hold (an event older than them that arrived late). Cleared with the windows.
   */
  noteStoredArrivedBy(arrivalMs: number): void {
    if (this.storedArrivedBy === null || arrivalMs > this.storedArrivedBy) this.storedArrivedBy = arrivalMs;
  }

  /** The arrival clock of a replay's windows read at `clock` (see arrivalClock). */
  replayArrivalClock(clock: number): number {
    return this.arrivalClock(clock, this.arrivedBy(clock));
  }

  /** The per-payment counts of stored events (addStored's), by the payments' start second. */
  addStoredPayments(cells: readonly { sec: number; key: string; count: number }[]): void {
    for (const c of cells) addPayments(this.byEventTime.at(c.sec), c.key, c.count);
  }

  /**
   * A follower's input (the metrics stream): per-second rollup cells instead of events. Counts
   * by type and authorized amounts move the same windows; the lag and score histograms, which
   * need single events, stay empty.
   */
  observeRollups(cells: readonly { sec: number; dim: string; key: string; count: number; amount: number }[], nowMs: number): void {
    const nowSec = this.presentSec(nowMs);
    for (const c of cells) {
      if (c.dim !== 'type' && c.dim !== 'authorized' && c.dim !== 'payment') continue;
      const b = this.byEventTime.bucket(c.sec, presentFor(nowSec, c.sec));
      if (!b) continue;
      addCell(b, c);
      if (c.dim === 'type') {
        this.noteLate(c.sec, typeIndex(c.key), c.count);
        const end = c.sec * 1000 + 999;
        if (this.watermark === null || end > this.watermark) this.watermark = end;
      }
    }
  }

  /**
   * Stored per-second rollup cells ('type', 'authorized') into their seconds whatever the present:
   * a replay sought back fills the older part of its windows from them (engine/replayRefill.ts).
   */
  addStoredCells(cells: readonly { sec: number; dim: string; key: string; count: number; amount: number }[]): void {
    for (const c of cells) addCell(this.byEventTime.at(c.sec), c);
  }

  /** The newest arrival of a second filled from rollups (which hold none): what "last event" reads when nothing later is held. */
  noteStoredArrival(timeMs: number, arrivalMs: number): void {
    const b = this.byEventTime.at(Math.floor(timeMs / 1000));
    if (b.newestArrival === null || arrivalMs > b.newestArrival) b.newestArrival = arrivalMs;
  }

  /** The per-payment counts a batch changed (BatchOutcome.payments), by the payments' start second. */
  observePayments(cells: readonly { sec: number; key: string; count: number }[], nowMs: number): void {
    const nowSec = this.presentSec(nowMs);
    const storedThroughSec = this.storedThrough === null ? Infinity : Math.floor(this.storedThrough / 1000);
    for (const c of cells) {
      if (c.sec > storedThroughSec) continue;
      const b = this.byEventTime.bucket(c.sec, presentFor(nowSec, c.sec));
      if (b) addPayments(b, c.key, c.count);
    }
  }

  /**
   * The present of the arrival figures (arrivals per second, lag, the late banner): live the wall
   * clock, which every arrival is stamped by; in a replay, whose clock is event time, the newest
   * recorded arrival when it is ahead. Read at event time, a backlog recorded arriving 20 minutes
   * after its events was never in the window and raised no late banner, as it did live.
   */
  private arrivalClock(clock: number, arrivedBy: number | null): number {
    return arrivedBy !== null && arrivedBy > clock ? arrivedBy : clock;
  }

  /**
   * The newest arrival of the events up to a replay's clock: the newest of all unless the clock
   * is behind the events handled (a backward seek). Lines already pushed are not pushed again,
   * so the arrival figures follow the clock back as the event-time windows do, read from the
   * seconds kept (none: null, nothing had arrived by then).
   */
  private arrivedBy(clock: number): number | null {
    if (this.watermark === null || clock >= this.watermark) return this.lastArrival;
    const endSec = Math.floor(clock / 1000);
    let newest: number | null = this.storedArrivedBy;
    for (const b of this.byEventTime.range(endSec - KEEP_SECONDS, endSec + 1)) {
      if (b.newestArrival !== null && (newest === null || b.newestArrival > newest)) newest = b.newestArrival;
    }
    return newest;
  }

  /**
   * The windows' present second: the clock, or the newest event time when that is a little
   * ahead (a replay's clock may trail the events it has just handed over). Never further: one
   * event stamped a day ahead by a producer's wrong clock made every event of the real present
   * older than the 15 minutes kept, so the live figures read zero until the wall clock caught up.
   */
  private presentSec(nowMs: number): number {
    return Math.floor(Math.max(nowMs, Math.min(this.watermark ?? 0, nowMs + AHEAD_OF_CLOCK_MS)) / 1000);
  }

  observeQueues(samples: QueueDepth[]): void {
    if (samples.length === 0) return;
    this.queues = samples;
    const depths: Record<string, number> = {};
    for (const s of samples) if (s.messages !== null) depths[s.queue] = s.messages;
    this.pendingQueuePoints.push({ t: Math.floor(samples[0].at / 1000), depths });
    if (this.pendingQueuePoints.length > SERIES_MAX_POINTS) this.pendingQueuePoints.shift();
  }

  /**
   * The figures for a snapshot at `clock` (wall time live, event time in a `replay`).
   * Windows end at the last complete second, so a second still filling never reads low.
   */
  figures(clock: number, replay = false): Omit<EngineSnapshot, 'at' | 'session' | 'connection' | 'status' | 'totals' | 'ingest' | 'replay' | 'clock'> {
    const endSec = Math.floor(clock / 1000);
    // Live, every arrival is of the wall clock's past; a replay's clock can go back (a seek).
    const arrivedBy = replay ? this.arrivedBy(clock) : this.lastArrival;
    const arrivalClock = this.arrivalClock(clock, arrivedBy);
    const arrivalEndSec = Math.floor(arrivalClock / 1000);
    this.byEventTime.evictBefore(endSec - KEEP_SECONDS);
    for (const [sec, hist] of this.lagBySecond) {
      if (sec >= arrivalEndSec - 120) continue;
      this.lagBySecond.delete(sec);
      this.spareLagHist(hist);
    }

    const sums = (seconds: number): Float64Array => {
      const out = new Float64Array(TYPE_KEYS.length);
      for (const b of this.byEventTime.range(endSec - seconds, endSec)) for (let i = 0; i < out.length; i++) out[i] += b.byType[i];
      return out;
    };
    const s1 = sums(1);
    const m1 = sums(60);
    const m5 = sums(300);
    const total = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    const rate = (n: number, seconds: number) => n / seconds;
    const byType: EngineSnapshot['rates']['byType'] = {};
    TYPE_KEYS.forEach((type, i) => {
      if (m5[i] > 0) byType[type] = { s1: rate(s1[i], 1), m1: rate(m1[i], 60), m5: rate(m5[i], 300) };
    });
    const totalRates: RateWindows = { s1: total(s1), m1: total(m1) / 60, m5: total(m5) / 300 };

    // Per attempt, as explain, segment health and the alert rules count them: a timeout is an
    // attempt that was not approved.
    const attempted = m1[AUTHORIZED] + m1[DECLINED] + m1[FAILED];
    const scored = m1[SCORED];

    const scoreHist = new Float64Array(101);
    let scoreCount = 0;
    for (const b of this.byEventTime.range(endSec - 60, endSec)) {
      if (!b.scores) continue;
      for (let i = 0; i < 101; i++) {
        scoreHist[i] += b.scores[i];
        scoreCount += b.scores[i];
      }
    }
    let paymentsStarted = 0;
    let paymentsApproved = 0;
    const volumes = new Map<string, [number, number]>();
    for (const b of this.byEventTime.range(endSec - 60, endSec)) {
      paymentsStarted += b.paymentsStarted;
      paymentsApproved += b.paymentsApproved;
      if (!b.authorized) continue;
      for (const [currency, [n, amount]] of b.authorized) {
        const v = volumes.get(currency);
        if (v) {
          v[0] += n;
          v[1] += amount;
        } else volumes.set(currency, [n, amount]);
      }
    }
    const authorizedLastMinute = [...volumes]
      .sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1))
      .slice(0, AUTHORIZED_CURRENCIES_SENT)
      .map(([currency, [count, amount]]) => ({ currency, amount, count }));
    const lagHist = new Float64Array(LAG_BINS);
    let lagCount = 0;
    // Arrivals of the minute before the arrival clock: a replay's recorded arrivals are of the
    // capture's day, and by the wall clock none was ever counted.
    for (const [sec, hist] of this.lagBySecond) {
      if (sec < arrivalEndSec - 60 || sec > arrivalEndSec) continue;
      for (let i = 0; i < hist.length; i++) {
        lagHist[i] += hist[i];
        lagCount += hist[i];
      }
    }
    const lagValue = lagUpperEdge;

    return {
      lastEventAt: arrivedBy,
      rates: { total: totalRates, byType },
      approvalRate: attempted > 0 ? m1[AUTHORIZED] / attempted : null,
      paymentApprovalRate: paymentsStarted > 0 ? Math.min(1, paymentsApproved / paymentsStarted) : null,
      paymentsLastMinute: paymentsStarted,
      declineRate: attempted > 0 ? m1[DECLINED] / attempted : null,
      failureRate: attempted > 0 ? m1[FAILED] / attempted : null,
      failuresPerMin: m1[FAILED],
      riskFlaggedPerMin: m1[FLAGGED],
      riskBlockedPerMin: m1[BLOCKED],
      riskFlaggedRate: scored > 0 ? m1[FLAGGED] / scored : null,
      riskBlockedRate: scored > 0 ? m1[BLOCKED] / scored : null,
      riskScoreP95: histogramPercentile(scoreHist, scoreCount, 0.95, (bin) => bin),
      authorizedLastMinute,
      authorizedCurrencies: volumes.size,
      arrivalLagMs: {
        p50: histogramPercentile(lagHist, lagCount, 0.5, lagValue),
        p95: histogramPercentile(lagHist, lagCount, 0.95, lagValue),
      },
      queues: this.queues,
      brokerNode: this.brokerNode,
      arrival: this.arrivals.view(arrivalClock),
      throughputLate: this.takeThroughputLate(endSec),
      throughputTail: this.takeThroughputTail(endSec),
      queueDepthTail: this.pendingQueuePoints.splice(0),
    };
  }

  private noteLate(sec: number, slot: number, count: number): void {
    if (this.lastTailSec === null || sec >= this.lastTailSec) return;
    let counts = this.lateBySecond.get(sec);
    if (!counts) this.lateBySecond.set(sec, (counts = new Uint32Array(TYPE_KEYS.length)));
    counts[slot] += count;
  }

  /** The late counts gathered since the previous call (seconds still kept), oldest first. */
  private takeThroughputLate(endSec: number): ThroughputPoint[] {
    if (this.lateBySecond.size === 0) return [];
    const points: ThroughputPoint[] = [];
    for (const [sec, byType] of [...this.lateBySecond].sort((a, b) => a[0] - b[0])) {
      if (sec < endSec - KEEP_SECONDS) continue;
      const counts: ThroughputPoint['counts'] = {};
      TYPE_KEYS.forEach((type, i) => {
        if (byType[i] > 0) counts[type] = byType[i];
      });
      points.push({ t: sec, counts });
    }
    this.lateBySecond.clear();
    return points;
  }

  /** Seconds completed since the previous call, at most SERIES_MAX_POINTS of them. */
  private takeThroughputTail(endSec: number): ThroughputPoint[] {
    const from = Math.max(this.lastTailSec ?? endSec - 1, endSec - SERIES_MAX_POINTS);
    const points: ThroughputPoint[] = [];
    for (let sec = from; sec < endSec; sec++) {
      const b = this.byEventTime.get(sec);
      const counts: ThroughputPoint['counts'] = {};
      if (b) TYPE_KEYS.forEach((type, i) => {
        if (b.byType[i] > 0) counts[type] = b.byType[i];
      });
      points.push({ t: sec, counts });
    }
    if (endSec > (this.lastTailSec ?? -Infinity)) this.lastTailSec = endSec;
    return points;
  }
}

/** One event into its second's bucket: its type, score, authorized amount and arrival. */
function countInSecond(b: SecondBucket, e: Omit<CountedEvent, 'timeMs'>): void {
  b.byType[typeIndex(e.type)] += 1;
  if (e.score !== null && e.type === 'risk.scored') b.addScore(e.score);
  if (e.type === 'payment.authorized' && e.amount !== null) b.addAuthorized(e.currency ?? '', e.amount);
  if (b.newestArrival === null || e.arrivalMs > b.newestArrival) b.newestArrival = e.arrivalMs;
}

/** A rollup cell ('type', 'authorized' or 'payment') into its second's bucket. */
function addCell(b: SecondBucket, c: { dim: string; key: string; count: number; amount: number }): void {
  if (c.dim === 'payment') addPayments(b, c.key, c.count);
  else if (c.dim === 'type') b.byType[typeIndex(c.key)] += c.count;
  else if (c.dim === 'authorized') {
    b.addAuthorized(c.key, 0);
    const cell = b.authorized!.get(c.key)!;
    cell[0] += c.count - 1;
    cell[1] += c.amount;
  }
}

function addPayments(b: SecondBucket, key: string, count: number): void {
  if (key === 'started') b.paymentsStarted += count;
  else if (key === 'approved') b.paymentsApproved += count;
}
