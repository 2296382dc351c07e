// A backward seek further back than the 15 minutes the live windows keep. The windows are fed by
// commits, and a backward seek pushes no line already stored again: the live figures (events/s,
// approval and the other rates, last event stored, arrivals, lag) read empty (0, null) at the
// new clock and while the clock was paced over the stored stretch, though it holds traffic. They
// are now filled from the store: they read what a replay that ran only up to that point reads.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSession } from '../engine/composeEngine';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { liveFigures, recordedLines, replayedThenSought as soughtIn, replayedUpTo as upToIn } from '../../../test/support/seekBackKit';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-seek-far-back-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const LAG_MS = 1_500;
const RATE = 2;

/** Lines recorded arriving LAG_MS after their event time. */
const recorded = (timed: { line: string; t: number }[]) => recordedLines(timed, (t) => t + LAG_MS);
const replayedThenSought = (file: string, name: string, target: number) => soughtIn(dir, file, name, target, running);
const replayedUpTo = (file: string, name: string, clock: number) => upToIn(dir, file, name, clock, running);

describe('a backward seek further back than the live windows keep', () => {
  it('reads the live figures a replay that ran only up to the new clock reads, there and as the clock is paced on', async () => {
    // 32 minutes at 2 events/s of event time, each recorded arriving LAG_MS after it.
    const timed = captureLines(32 * 60 * RATE, RATE, false).map((line) => ({ line, t: Date.parse((JSON.parse(line) as { time: string }).time) }));
    const file = writeCapture(path.join(dir, 'thirty-two.jsonl'), recorded(timed));
    // Back 20 minutes, to minute 12.
    const target = timed[12 * 60 * RATE].t;
    const { session, wall, sought } = await replayedThenSought(file, 'sought', target);

    // The same capture replayed only up to the target, into a database of its own.
    const reference = await replayedUpTo(file, 'up-to', target);
    expect(reference.rates.total.m1).toBeCloseTo(RATE, 0);
    expect(reference.approvalRate).not.toBeNull();
    expect(liveFigures(sought)).toEqual(reference);

    // Paced on 90 s over the stored stretch (no line is pushed again): still what a replay up to there reads.
    const later = target + 90_000;
    wall.advance(90_000);
    await waitFor(async () => (await session.services.replay.status({})).position === later, 'the clock paced 90 s on');
    const paced = session.engine.snapshot();
    expect(paced.clock).toBe(later);
    const laterReference = await replayedUpTo(file, 'up-to-later', later);
    expect(laterReference.rates.total.m1).toBeCloseTo(RATE, 0);
    expect(liveFigures(paced)).toEqual(laterReference);
  });

  it('reads the last event stored before a quiet stretch when the seek lands minutes into it', async () => {
    // 10 minutes of traffic, 4 quiet minutes, 10 more; back to 3 minutes into the quiet stretch.
    const start = Date.parse((JSON.parse(captureLines(1, RATE, false)[0]) as { time: string }).time);
    const timed = captureLines(24 * 60 * RATE, RATE, false)
      .map((line) => ({ line, t: Date.parse((JSON.parse(line) as { time: string }).time) }))
      .filter(({ t }) => t < start + 10 * 60_000 || t >= start + 14 * 60_000);
    const file = writeCapture(path.join(dir, 'quiet.jsonl'), recorded(timed));
    const target = start + 13 * 60_000;
    const { sought } = await replayedThenSought(file, 'quiet', target);
    const reference = await replayedUpTo(file, 'quiet-up-to', target);
    const lastBefore = timed.filter(({ t }) => t <= target).at(-1)!;
    expect(reference.lastEventAt).toBe(lastBefore.t + LAG_MS);
    expect(reference.rates.total.m5).toBeGreaterThan(0);
    expect(liveFigures(sought)).toEqual(reference);
  });
});
