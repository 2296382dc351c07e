// A backward seek's arrival figures (arrivals per second, the late banner, arrival lag, last event
// stored) when a backlog arrived just before the new clock: events whose event time is older than
// the minutes the refill read events of. They are of what arrived in the 2 minutes before the
// clock, whatever their event time: a replay that ran only up to the clock counts them, raises the
// late banner and reads their lag; the sought replay read none of them.
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { EngineSession } from '../engine/composeEngine';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { liveFigures, recordedLines, replayedThenSought, replayedUpTo } from '../../../test/support/seekBackKit';

const dir = tempDir('payops-seek-backlog-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const timedLines = (lines: string[]) => lines.map((line) => ({ line, t: Date.parse((JSON.parse(line) as { time: string }).time) }));

describe('a backward seek to just after a backlog arrived', () => {
  it('reads the arrival figures a replay that ran only up to the new clock reads', async () => {
    // Minutes 15 to 18 at 1 event/s, each arriving 1.5 s after its time; 2 minutes of other events
    // from the first minutes (2 a second), arriving 4 a second in the minute before minute 17: 16
    // minutes behind, older than the 15 minutes the live windows keep.
    const start = timedLines(captureLines(1, 1, false))[0].t;
    const traffic = timedLines(captureLines(18 * 60, 1, false)).filter(({ t }) => t >= start + 15 * 60_000);
    const target = start + 17 * 60_000;
    const onTime = recordedLines(traffic, (t) => t + 1_500).map((line, i) => ({ line, arrival: traffic[i].t + 1_500 }));
    const backlog = timedLines(captureLines(240, 2, false, 99)).map((timed, i) => {
      const arrival = target - 60_000 + i * 250;
      return { line: recordedLines([timed], () => arrival)[0], arrival };
    });
    // In arrival order, as a capture records them.
    const lines = [...onTime, ...backlog].sort((a, b) => a.arrival - b.arrival).map((l) => l.line);
    const file = writeCapture(path.join(dir, 'backlog.jsonl'), lines);

    const { sought } = await replayedThenSought(dir, file, 'sought', target, running);
    const reference = await replayedUpTo(dir, file, 'up-to', target, running);
    expect(reference.arrival?.late).not.toBeNull();
    expect(liveFigures(sought)).toEqual(reference);
  });
});
