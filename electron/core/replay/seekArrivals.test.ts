// A backward seek moves the replay clock back, and the dashboard's event-time figures are read at
// it (the windows hold what was stored, so they show the past as it was). The arrival figures
// (arrivals per second, lag, the late banner, last event at) stayed at the newest recorded
// arrival ever seen: lines already pushed are not pushed again, so nothing moved them back. They
// now follow the same rule: read at the newest arrival of the events up to the clock.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRecordedLine } from '../capture/captureLine';
import type { EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { replayedToTheEnd } from '../../../test/support/replayedSession';
import { manualClock, waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-seek-arrivals-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const LAG_MS = 1_500;

describe('a backward seek: the arrival figures', () => {
  it('are read at the arrivals of the events up to the clock, as the event-time figures are', async () => {
    // 600 events at 10 a second of event time (60 s), each recorded arriving LAG_MS after it.
    const timed = captureLines(600, 10, false).map((line) => ({ line, t: Date.parse((JSON.parse(line) as { time: string }).time) }));
    const lines = timed.map(({ line, t }) => formatRecordedLine({ body: Buffer.from(line), arrivalMs: t + LAG_MS, routingKey: null, headers: null, contentType: 'application/cloudevents+json' }));
    const file = writeCapture(path.join(dir, 'seek.jsonl'), lines);
    // A wall clock that stands still: after the seek the paced clock stays at its target.
    const wall = manualClock();
    const replay = { file, speed: 'max', now: wall.now } as EngineConfig['replay'];
    const session = await replayedToTheEnd({ dbFile: path.join(dir, 'seek.db'), session: 'replay', replay }, running);
    const newest = timed[timed.length - 1].t + LAG_MS;
    expect(session.engine.snapshot().lastEventAt).toBe(newest);

    const target = timed[0].t + 30_000;
    await session.services.replay.control({ action: 'speed', speed: 1 });
    await session.services.replay.control({ action: 'seek', to: target });
    await waitFor(async () => (await session.services.replay.status({})).seekingTo === null, 'the seek to end');
    const s = session.engine.snapshot();
    expect(s.clock).toBe(target);
    // The newest arrival of the events up to the clock (as a replay that ran only up to it has
    // stored: not those later in the clock's second), not the capture's last.
    const upToClock = timed.filter(({ t }) => t <= target);
    const arrivedLast = upToClock[upToClock.length - 1].t + LAG_MS;
    expect(s.lastEventAt).toBe(arrivedLast);
    expect(s.arrival!.endSec).toBe(Math.floor(arrivedLast / 1000));
    // The minute before it: what arrived of the 30 s before the clock, as event time counts them.
    expect(s.rates.total.m1).toBeCloseTo(5, 0);
    expect(s.arrival!.rates.m1).toBeCloseTo(s.rates.total.m1, 0);
    // Lag is reported at its histogram bin's upper edge (bins 5 % wide).
    expect(s.arrivalLagMs.p50).toBeGreaterThanOrEqual(LAG_MS);
    expect(s.arrivalLagMs.p50).toBeLessThanOrEqual(LAG_MS * 1.05);
  });
});
