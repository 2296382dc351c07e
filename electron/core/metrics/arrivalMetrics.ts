// The dashboard by arrival time, beside the event-time view: when events arrive whose event
// time is far behind (a backlog draining after an outage, a producer's clock behind), the
// event-time windows read 0 events/s while thousands arrive each second. This counts what
// arrives per second of arrival, and says when what arrives is late.
import type { ArrivalView } from '../../../shared/metrics';

/** Seconds of arrivals kept (the arrival chart's window). */
export const ARRIVAL_KEEP_SECONDS = 120;
/** Events whose event time is this far behind their arrival are late: past the dashboard's 15-minute event-time window. */
export const LATE_AFTER_MS = 15 * 60_000;
const LATE_WINDOW_SECONDS = 10;
/**
 * The banner is raised when late events are at least this share of what arrives, or at least
 * LATE_BANNER_MIN_RATE a second: then the event-time view undercounts what is happening. A
 * straggler now and then (one event dated years back) is not a backlog.
 */
export const LATE_BANNER_MIN_SHARE = 0.5;
export const LATE_BANNER_MIN_RATE = 1;

export class ArrivalMetrics {
  private readonly counts = new Map<number, number>();
  private readonly lateCounts = new Map<number, number>();
  private readonly lateLagSums = new Map<number, number>();

  // Arrivals come in second order almost always: the current second is summed in fields and
  // written to the maps when the second changes (two map updates per event cost ingest).
  private curSec = -1;
  private curCount = 0;
  private curLate = 0;
  private curLateLag = 0;

  observe(arrivalMs: number, eventTimeMs: number): void {
    const sec = Math.floor(arrivalMs / 1000);
    if (sec !== this.curSec) {
      this.flush();
      this.curSec = sec;
    }
    this.curCount++;
    const lag = arrivalMs - eventTimeMs;
    if (lag > LATE_AFTER_MS) {
      this.curLate++;
      this.curLateLag += lag;
    }
  }

  /** `count` arrivals of second `sec` at once, `late` of them late with lags summing to `lateLagMs` (a replay's refill from the store). */
  observeCounted(sec: number, count: number, late: number, lateLagMs: number): void {
    this.flush();
    this.counts.set(sec, (this.counts.get(sec) ?? 0) + count);
    if (late > 0) {
      this.lateCounts.set(sec, (this.lateCounts.get(sec) ?? 0) + late);
      this.lateLagSums.set(sec, (this.lateLagSums.get(sec) ?? 0) + lateLagMs);
    }
  }

  private flush(): void {
    if (this.curCount === 0) return;
    this.counts.set(this.curSec, (this.counts.get(this.curSec) ?? 0) + this.curCount);
    if (this.curLate > 0) {
      this.lateCounts.set(this.curSec, (this.lateCounts.get(this.curSec) ?? 0) + this.curLate);
      this.lateLagSums.set(this.curSec, (this.lateLagSums.get(this.curSec) ?? 0) + this.curLateLag);
    }
    this.curCount = 0;
    this.curLate = 0;
    this.curLateLag = 0;
  }

  /** Arrivals per second for the seconds before `nowMs` (the second still filling is left out). */
  view(nowMs: number): ArrivalView {
    const endSec = Math.floor(nowMs / 1000);
    this.flush();
    for (const sec of this.counts.keys()) {
      if (sec < endSec - ARRIVAL_KEEP_SECONDS) {
        this.counts.delete(sec);
        this.lateCounts.delete(sec);
        this.lateLagSums.delete(sec);
      }
    }
    const perSecond: number[] = [];
    for (let s = endSec - ARRIVAL_KEEP_SECONDS; s < endSec; s++) perSecond.push(this.counts.get(s) ?? 0);
    const sum = (from: number) => perSecond.slice(from).reduce((a, b) => a + b, 0);
    // The late events' own rate and lag: a mean over everything that arrives said "10 events/s,
    // 10 d behind" for one event dated three years back among a hundred on time.
    let n = 0;
    let late = 0;
    let lateLag = 0;
    for (let s = endSec - LATE_WINDOW_SECONDS; s < endSec; s++) {
      n += this.counts.get(s) ?? 0;
      late += this.lateCounts.get(s) ?? 0;
      lateLag += this.lateLagSums.get(s) ?? 0;
    }
    const lateRate = late / LATE_WINDOW_SECONDS;
    const banner = late > 0 && (late >= LATE_BANNER_MIN_SHARE * n || lateRate >= LATE_BANNER_MIN_RATE);
    return {
      endSec,
      perSecond,
      rates: { s1: perSecond[perSecond.length - 1] ?? 0, m1: sum(perSecond.length - 60) / 60, m5: sum(0) / ARRIVAL_KEEP_SECONDS },
      late: banner ? { eventsPerSecond: lateRate, behindMs: lateLag / late } : null,
    };
  }
}
