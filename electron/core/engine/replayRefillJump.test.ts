// A replay sought back, then its clock jumps forward over the stored stretch (a forward seek, or
// the clock racing on at max): each read added every event stored between the last fill and the
// clock, so a jump of 16 minutes read 16 minutes of events one by one on the engine thread (the
// cost a seek's refill was bounded to avoid: 5.7 s at 1,000 events/s for 15 minutes).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveMetrics } from '../metrics/liveMetrics';
import { openStore } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines } from '../../../test/support/replayTestKit';
import { incoming } from '../../../test/support/storedTextKit';
import { EVENT_FILL_SECONDS, ReplayRefill } from './replayRefill';

const dir = tempDir('payops-refill-jump-');

/** LiveMetrics that counts the stored events handed to it one by one. */
class CountingMetrics extends LiveMetrics {
  handed = 0;
  override addStored(events: Parameters<LiveMetrics['addStored']>[0]): void {
    super.addStored([...events].map((e) => (this.handed++, e)));
  }
}

describe('a replay sought back whose clock then jumps far forward', () => {
  it('is filled as a seek there fills it, reading no more events than such a seek', () => {
    const store = openStore(path.join(dir, 'jump.db'));
    const events = captureLines(20 * 60, 1, false).map((line) => JSON.parse(line) as { time: string });
    const times = events.map((e) => Date.parse(e.time));
    for (let i = 0; i < events.length; i += 500) store.ingest.commit(events.slice(i, i + 500).map((e, k) => incoming(e, times[i + k] + 1_500)));
    const end = times.at(-1)!;
    const at = (minute: number) => times[minute * 60];

    const refilled = (clocks: number[]) => {
      const metrics = new CountingMetrics();
      metrics.watermark = end;
      const refill = new ReplayRefill(store, metrics);
      for (const c of clocks) {
        metrics.handed = 0;
        refill.beforeRead(c, c);
      }
      return { figures: metrics.figures(clocks.at(-1)!, true), handed: metrics.handed };
    };
    const direct = refilled([end, at(18)]);
    const jumped = refilled([end, at(2), at(18)]);
    expect(jumped.figures).toEqual(direct.figures);
    // At most the clock's second and the seconds a seek reads events of, at 1 event a second.
    expect(jumped.handed).toBeLessThanOrEqual(EVENT_FILL_SECONDS + 1);
    store.close();
  });
});
