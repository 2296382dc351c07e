// The throughput chart's tail (a snapshot's throughputTail: each completed second, sent once) after
// a backward seek. The renderer restarts its series when the clock goes back and fills it from the
// stored rollups up to the new clock; from there the tails must bring the seconds the clock passes.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshot, ThroughputPoint } from '../../../shared/metrics';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { openStore } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { manualClock, waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-seek-tail-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const RATE = 1;

/** The stored counts by type of each second in [fromSec, toSec), as the tail sends them. */
function storedSeconds(dbFile: string, fromSec: number, toSec: number): ThroughputPoint[] {
  const store = openStore(dbFile, { readonly: true });
  const points = new Map<number, ThroughputPoint>();
  for (let t = fromSec; t < toSec; t++) points.set(t, { t, counts: {} });
  for (const r of store.rollups.typeCountsBySteps(1, fromSec, toSec)) (points.get(r.t)!.counts as Record<string, number>)[r.key] = r.n;
  store.close();
  return [...points.values()];
}

describe('the throughput tail after a backward seek', () => {
  it('brings each second the clock passes after the seek once, as stored, and none after the clock', async () => {
    const lines = captureLines(6 * 60 * RATE, RATE, false);
    const times = lines.map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
    const file = writeCapture(path.join(dir, 'twenty.jsonl'), lines);
    const wall = manualClock();
    const dbFile = path.join(dir, 'tail.db');
    // Every snapshot, as the renderer receives them: the engine's own and those read here.
    const snapshots: EngineSnapshot[] = [];
    let drained!: () => void;
    const done = new Promise<void>((r) => (drained = r));
    const replay = { file, speed: 'max', now: wall.now } as EngineConfig['replay'];
    const session = composeEngine({ dbFile, session: 'replay', replay }, { snapshot: (snap) => snapshots.push(snap), log: () => undefined, drained: () => drained() });
    running.push(session);
    await session.start();
    await done;
    const read = () => snapshots.push(session.engine.snapshot());
    read();
    await session.services.replay.control({ action: 'speed', speed: 1 });
    // Back 4 minutes, to a whole second.
    const target = Math.floor(times[2 * 60 * RATE] / 1000) * 1000;
    const before = snapshots.length;
    await session.services.replay.control({ action: 'seek', to: target });
    await waitFor(async () => (await session.services.replay.status({})).seekingTo === null, 'the seek to end');
    read();
    expect(snapshots.at(-1)!.clock).toBe(target);
    for (let s = 1; s <= 5; s++) {
      wall.advance(1000);
      await waitFor(async () => (await session.services.replay.status({})).position === target + s * 1000, `the clock paced ${s} s on`);
      read();
    }
    // From the first snapshot whose clock went back: no second at or after its clock, each second once.
    const after = snapshots.slice(before);
    const back = after.findIndex((snap) => snap.clock < snapshots[before - 1].clock);
    expect(back).toBeGreaterThanOrEqual(0);
    for (const snap of after.slice(back)) for (const p of snap.throughputTail) expect(p.t).toBeLessThan(snap.clock / 1000);
    const tails = after.slice(back).flatMap((snap) => snap.throughputTail).filter((p) => p.t >= target / 1000);
    const targetSec = target / 1000;
    expect(tails).toEqual(storedSeconds(dbFile, targetSec, targetSec + 5));
  });
});
