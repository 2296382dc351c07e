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

export class ArrivalMetrics {
  private readonly counts = new Map<number, number>();
  private readonly lagSums = new Map<number, number>();

  // Arrivals come in second order almost always: the current second is summed in fields and
  // written to the maps when the second changes (two map updates per event cost ingest).
  private curSec = -1;
  private curCount = 0;
  private curLag = 0;

  observe(arrivalMs: number, eventTimeMs: number): void {
    const sec = Math.floor(arrivalMs / 1000);
    if (sec !== this.curSec) {
      this.flush();
      this.curSec = sec;
    }
    this.curCount++;
    this.curLag += Math.max(0, arrivalMs - eventTimeMs);
  }

  private flush(): void {
    if (this.curCount === 0) return;
    this.counts.set(this.curSec, (this.counts.get(this.curSec) ?? 0) + this.curCount);
    this.lagSums.set(this.curSec, (this.lagSums.get(this.curSec) ?? 0) + this.curLag);
    this.curCount = 0;
    this.curLag = 0;
  }

  /** Arrivals per second for the seconds before `nowMs` (the second still filling is left out). */
  view(nowMs: number): ArrivalView {
    const endSec = Math.floor(nowMs / 1000);
    this.flush();
    for (const sec of this.counts.keys()) {
      if (sec < endSec - ARRIVAL_KEEP_SECONDS) {
        this.counts.delete(sec);
        this.lagSums.delete(sec);
      }
    }
    const perSecond: number[] = [];
    for (let s = endSec - ARRIVAL_KEEP_SECONDS; s < endSec; s++) perSecond.push(this.counts.get(s) ?? 0);
    const sum = (from: number) => perSecond.slice(from).reduce((a, b) => a + b, 0);
    let n = 0;
    let lag = 0;
    for (let s = endSec - LATE_WINDOW_SECONDS; s < endSec; s++) {
      n += this.counts.get(s) ?? 0;
      lag += this.lagSums.get(s) ?? 0;
    }
    const meanLagMs = n > 0 ? lag / n : null;
    const recentRate = n / LATE_WINDOW_SECONDS;
    return {
      endSec,
      perSecond,
      rates: { s1: perSecond[perSecond.length - 1] ?? 0, m1: sum(perSecond.length - 60) / 60, m5: sum(0) / ARRIVAL_KEEP_SECONDS },
      late: meanLagMs !== null && meanLagMs > LATE_AFTER_MS ? { eventsPerSecond: recentRate, behindMs: meanLagMs } : null,
    };
  }
}
