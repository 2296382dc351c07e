// Test support for a replay sought back: the capture replayed to its end and sought back, and the
// live figures a replay of the same capture sliced to end at the new clock reads there (what the
// sought replay's figures must equal).
import path from 'node:path';
import { expect } from 'vitest';
import type { EngineSnapshot } from '../../shared/metrics';
import { formatRecordedLine } from '../../electron/core/capture/captureLine';
import type { EngineSession } from '../../electron/core/engine/composeEngine';
import type { EngineConfig } from '../../electron/core/engine/engineConfig';
import { replayedToTheEnd } from './replayedSession';
import { manualClock, waitFor } from './waitFor';

/** The live figures a snapshot reads from the windows: all but the clock, the session's state, the totals and the chart tails. */
export function liveFigures(s: EngineSnapshot) {
  const { at: _at, clock: _clock, session: _session, connection: _connection, status: _status, totals: _totals, ingest: _ingest, replay: _replay, queues: _queues, brokerNode: _brokerNode, throughputTail: _tail, throughputLate: _late, queueDepthTail: _depths, ...figures } = s;
  return figures;
}

/** Lines recorded arriving at `arrival(t)` (the line's event time t). */
export function recordedLines(timed: { line: string; t: number }[], arrival: (t: number) => number): string[] {
  return timed.map(({ line, t }) => formatRecordedLine({ body: Buffer.from(line), arrivalMs: arrival(t), routingKey: null, headers: null, contentType: 'application/cloudevents+json' }));
}

/** The capture replayed at max to its end (into `dir`/`name`.db) on a still wall clock, then sought back to `target` at x1. */
export async function replayedThenSought(dir: string, file: string, name: string, target: number, running: EngineSession[]) {
  const wall = manualClock();
  const session = await replayedToTheEnd({ dbFile: path.join(dir, `${name}.db`), session: 'replay', replay: { file, speed: 'max', now: wall.now } as EngineConfig['replay'] }, running);
  await session.services.replay.control({ action: 'speed', speed: 1 });
  await session.services.replay.control({ action: 'seek', to: target });
  await waitFor(async () => (await session.services.replay.status({})).seekingTo === null, 'the seek to end');
  const sought = session.engine.snapshot();
  expect(sought.clock).toBe(target);
  return { session, wall, sought };
}

/** The live figures a replay of the capture sliced to end at `clock` (into `dir`/`name`.db) reads at `clock`. */
export async function replayedUpTo(dir: string, file: string, name: string, clock: number, running: EngineSession[]) {
  const upTo = await replayedToTheEnd({ dbFile: path.join(dir, `${name}.db`), session: 'replay', replay: { file, speed: 'max', toMs: clock + 1 } as EngineConfig['replay'] }, running);
  return liveFigures({ ...upTo.engine.snapshot(), ...upTo.engine.liveMetrics.figures(clock, true) } as EngineSnapshot);
}
