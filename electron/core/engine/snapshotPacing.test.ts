// A commit's snapshot goes out at once, or when the interval since the last one ends: never
// more than SNAPSHOT_MAX_HZ a second, and under traffic faster than the idle cadence (a marker
// then waits at most 1/SNAPSHOT_MAX_HZ s for the screen; bench:latency measures how long).
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_IDLE_HZ, SNAPSHOT_MAX_HZ } from '../../../shared/metrics';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { composeEngine, type EngineSession } from './composeEngine';

const dir = tempDir('payops-snapshot-pacing-');
const sessions: EngineSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.stop();
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
    // 40 snapshots after traffic has started to be stored.
    await waitFor(() => sent.filter((s) => s.events > 0).length >= 40, 'forty snapshots with stored events', 30_000);
    const storing = sent.filter((s) => s.events > 0);
    const gaps = storing.slice(1).map((s, i) => s.at - storing[i].at);
    // The gap is taken from each snapshot's own time (when the engine began building it: the
    // time the cap counts from; the time it was handed over varies with how long building
    // took under load), and Node rounds timers to the millisecond: a gap well under the
    // interval breaks the cap.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / SNAPSHOT_MAX_HZ - 4);
    // With commits every few tens of milliseconds, most snapshots follow one; the idle timer
    // alone would space them 1/SNAPSHOT_IDLE_HZ s apart.
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(1000 / SNAPSHOT_IDLE_HZ - 5);
  });
});
