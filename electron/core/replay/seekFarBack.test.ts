// A backward seek further back than the 15 minutes the live windows keep. The windows are fed by
// commits, and a backward seek pushes no line already stored again: the live figures (events/s,
// approval and the other rates, last event stored, arrivals, lag) read empty (0, null) at the
// new clock and while the clock was paced over the stored stretch, though it holds traffic. They
// are now filled from the store: they read what a replay that ran only up to that point reads.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../../shared/metrics';
import { formatRecordedLine } from '../capture/captureLine';
import type { EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { replayedToTheEnd } from '../../../test/support/replayedSession';
import { manualClock, waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-seek-far-back-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const LAG_MS = 1_500;
const RATE = 2;

/** The live figures a snapshot reads from the windows: all but the clock, the session's state, the totals and the chart tails. */
function liveFigures(s: EngineSnapshot) {
  const { at: _at, clock: _clock, session: _session, connection: _connection, status: _status, totals: _totals, ingest: _ingest, replay: _replay, queues: _queues, brokerNode: _brokerNode, throughputTail: _tail, throughputLate: _late, queueDepthTail: _depths, ...figures } = s;
  return figures;
}

describe('a backward seek further back than the live windows keep', () => {
  it('reads the live figures a replay that ran only up to the new clock reads, there and as the clock is paced on', async () => {
    // 32 minutes at 2 events/s of event time, each recorded arriving LAG_MS after it.
    const timed = captureLines(32 * 60 * RATE, RATE, false).map((line) => ({ line, t: Date.parse((JSON.parse(line) as { time: string }).time) }));
    const lines = timed.map(({ line, t }) => formatRecordedLine({ body: Buffer.from(line), arrivalMs: t + LAG_MS, routingKey: null, headers: null, contentType: 'application/cloudevents+json' }));
    const file = writeCapture(path.join(dir, 'thirty-two.jsonl'), lines);
    const wall = manualClock();
    const session = await replayedToTheEnd({ dbFile: path.join(dir, 'sought.db'), session: 'replay', replay: { file, speed: 'max', now: wall.now } as EngineConfig['replay'] }, running);

    // Back 20 minutes, to minute 12: an event's own time, so a replay of the capture up to it ends at it.
    const target = timed[12 * 60 * RATE].t;
    await session.services.replay.control({ action: 'speed', speed: 1 });
    await session.services.replay.control({ action: 'seek', to: target });
    await waitFor(async () => (await session.services.replay.status({})).seekingTo === null, 'the seek to end');
    const sought = session.engine.snapshot();
    expect(sought.clock).toBe(target);

    // The same capture replayed only up to the target, into a database of its own.
    const upTo = await replayedToTheEnd({ dbFile: path.join(dir, 'up-to.db'), session: 'replay', replay: { file, speed: 'max', toMs: target + 1 } as EngineConfig['replay'] }, running);
    const reference = upTo.engine.snapshot();
    expect(reference.clock).toBe(target);
    expect(reference.rates.total.m1).toBeCloseTo(RATE, 0);
    expect(reference.approvalRate).not.toBeNull();
    expect(liveFigures(sought)).toEqual(liveFigures(reference));

    // Paced on 90 s over the stored stretch (no line is pushed again): still what a replay up to there reads.
    const later = target + 90_000;
    wall.advance(90_000);
    await waitFor(async () => (await session.services.replay.status({})).position === later, 'the clock paced 90 s on');
    const paced = session.engine.snapshot();
    expect(paced.clock).toBe(later);
    const upToLater = await replayedToTheEnd({ dbFile: path.join(dir, 'up-to-later.db'), session: 'replay', replay: { file, speed: 'max', toMs: later + 1 } as EngineConfig['replay'] }, running);
    const laterReference = liveFigures({ ...upToLater.engine.snapshot(), ...upToLater.engine.liveMetrics.figures(later, true) } as EngineSnapshot);
    expect(laterReference.rates.total.m1).toBeCloseTo(RATE, 0);
    expect(liveFigures(paced)).toEqual(laterReference);
  });
});
