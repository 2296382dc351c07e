// A commit's snapshot goes out at once, or when the interval since the last one ends: never
// more than SNAPSHOT_MAX_HZ a second, and under traffic faster than the idle cadence (a marker
// then waits at most 1/SNAPSHOT_MAX_HZ s for the screen; bench:latency measures how long).
//
// On fake timers and a fake Date: the engine's snapshot timer, its commit timer and the demo
// simulator all run on the test's clock, which moves only when the test moves it, so the gaps
// are exact (no allowance for a loaded machine: a gap under the interval is the cap broken) and
// 3 s of traffic take a fraction of that.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SNAPSHOT_IDLE_HZ, SNAPSHOT_MAX_HZ } from '../../../shared/metrics';
import { tempDir } from '../../../test/support/tempDir';
import { composeEngine, type EngineSession } from './composeEngine';

const dir = tempDir('payops-snapshot-pacing-');
const sessions: EngineSession[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'], now: Date.UTC(2026, 10, 23, 8) });
});
// Stopped on the test's clock, which moves until the stop is done (it flushes the last batch).
afterEach(async () => {
  for (const s of sessions.splice(0)) {
    let stopped = false;
    void s.stop().then(() => (stopped = true));
    while (!stopped) await vi.advanceTimersByTimeAsync(10);
  }
  vi.useRealTimers();
});

describe('snapshot pacing', () => {
  it('follows the commits at up to SNAPSHOT_MAX_HZ, never faster', async () => {
    const sent: { at: number; events: number }[] = [];
    const session = composeEngine(
      { dbFile: path.join(dir, 'demo.db'), session: 'demo', demo: { scenario: 'normal', rate: 400, seed: 7 }, rulesFile: null },
      { snapshot: (s) => sent.push({ at: s.at, events: s.totals.events }), log: () => undefined },
    );
    sessions.push(session);
    await session.start();
    // 40 snapshots after traffic has started to be stored, on the test's clock.
    for (let ms = 0; ms < 10_000 && sent.filter((s) => s.events > 0).length < 40; ms += 5) await vi.advanceTimersByTimeAsync(5);
    const storing = sent.filter((s) => s.events > 0);
    expect(storing.length).toBeGreaterThanOrEqual(40);
    const gaps = storing.slice(1).map((s, i) => s.at - storing[i].at);
    // The gap is taken from each snapshot's own time (when the engine began building it: the
    // time the cap counts from).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / SNAPSHOT_MAX_HZ);
    // With commits every few tens of milliseconds, most snapshots follow one; the idle timer
    // alone would space them 1/SNAPSHOT_IDLE_HZ s apart.
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(1000 / SNAPSHOT_IDLE_HZ);
  });
});
