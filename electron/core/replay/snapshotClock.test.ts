// At max speed a replay's clock moves the moment a line is handed to the pipeline, while the
// line's metrics move only when its batch commits: a snapshot taken between read the windows at
// the new clock without the lines that brought it there (m1 = 0, then 25 at the same clock).
// The real engine, the real ReplaySource and SQLite; the snapshot is taken synchronously at the
// moment in question (a batch half pushed), no timers.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../../shared/metrics';
import { tempDir } from '../../../test/support/tempDir';
import { Engine } from '../engine/engine';
import type { IngestSource } from '../ingest/ingestSource';
import { LiveMetrics } from '../metrics/liveMetrics';
import { openStore, type Store } from '../store/store';
import { ReplaySource } from './replaySource';

const dir = tempDir('payops-snapshot-clock-');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const T0 = Date.parse('2026-03-01T10:00:00Z');
const event = (i: number, t: number) =>
  JSON.stringify({ specversion: '1.0', id: `e${i}`, source: 'test', type: 'payment.authorized', time: new Date(t).toISOString(), data: { paymentId: `p${i}`, merchantId: 'm1', amount: 100, currency: 'EUR', country: 'DE' } });

/**
 * A replay of `lines` into a real engine (batches of 25, no timed flush) whose source calls
 * `look(pushes, engine)` right after each push: the moment between a push and its commit.
 */
async function replayLookingAfterEachPush(name: string, lines: string[], look: (pushes: number, engine: Engine) => void): Promise<void> {
  const file = path.join(dir, `${name}.ndjson`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const dbFile = path.join(dir, `${name}.db`);
  const store: Store = openStore(dbFile);
  cleanup.push(() => store.close());
  const engine = new Engine({ dbFile, session: 'replay', batchSize: 25, flushMs: 60_000 }, { store, metrics: new LiveMetrics(), stored: store.stats() }, { snapshot: () => undefined, log: () => undefined });
  cleanup.push(() => engine.stop());
  const replay = new ReplaySource({ file, speed: 'max', flush: () => engine.flushNow() });
  let pushes = 0;
  const source: IngestSource = {
    start: (push, blocked) =>
      replay.start((input) => {
        push(input);
        look(++pushes, engine);
      }, blocked),
    stop: () => replay.stop(),
    get done() {
      return replay.done;
    },
    progress: () => replay.progress(),
    clock: () => replay.clock(),
  };
  await engine.start(source);
  await replay.finished;
}

describe('a replay snapshot taken between a push and its commit', () => {
  it('reads the windows at the clock of what is stored: never 0 and then 25 at one clock', async () => {
    // One event a second for 50 s: batches of 25, the second one looked at with 24 pushed.
    const lines = Array.from({ length: 50 }, (_, i) => event(i, T0 + i * 1000));
    const taken: { between?: EngineSnapshot; after?: EngineSnapshot } = {};
    // A look at the engine right after the 49th push (24 of the second batch pending).
    await replayLookingAfterEachPush('one-a-second', lines, (pushes, engine) => {
      if (pushes !== 49) return;
      taken.between = engine.snapshot();
      engine.flushNow();
      taken.after = engine.snapshot();
    });
    const { between, after } = taken as Required<typeof taken>;
    // Windows end at the clock's last complete second: 48 events before T0 + 48 s.
    expect(after.clock).toBe(T0 + 48_000);
    expect(after.rates.total.m1).toBeCloseTo(48 / 60);
    expect(after.totals.events).toBe(49);
    // Between, the figures are those of the clock it names: what is stored, up to the first batch's last second.
    if (between.clock === after.clock) expect(between.rates).toEqual(after.rates);
    expect(between.totals.events).toBe(25);
    expect(between.clock).toBe(T0 + 24_000);
    expect(between.rates.total.m1).toBeCloseTo(24 / 60);
  });

  it('holds the very first batch too: before the first commit a snapshot reads the windows at the first line\'s time', async () => {
    // An untimed line first (it gives the replay no clock), then one event a second: the first
    // batch of 25 looked at with 10 events pushed, and again with 23, before it commits.
    const heartbeat = JSON.stringify({ specversion: '1.0', id: 'hb', source: 'test', type: 'com.example.heartbeat' });
    const lines = [heartbeat, ...Array.from({ length: 30 }, (_, i) => event(i, T0 + i * 1000))];
    const taken: EngineSnapshot[] = [];
    await replayLookingAfterEachPush('first-batch', lines, (pushes, engine) => {
      if (pushes === 1 || pushes === 11 || pushes === 24) taken.push(engine.snapshot());
      if (pushes !== 24) return;
      engine.flushNow();
      taken.push(engine.snapshot());
    });
    const [afterHeartbeat, tenPushed, allPushed, committed] = taken;
    // The heartbeat and 23 events, the heartbeat placed at the first event's time.
    expect(committed.totals.events).toBe(24);
    expect(committed.clock).toBe(T0 + 22_000);
    expect(committed.rates.total.m1).toBeCloseTo(23 / 60);
    // Nothing stored yet: the windows are read at the first event's time, which they are empty at.
    for (const s of [tenPushed, allPushed]) {
      expect(s.totals.events).toBe(0);
      expect(s.clock).toBe(T0);
      expect(s.rates.total.m1).toBe(0);
    }
    // Before any timed line the snapshot says no more than it did.
    expect(afterHeartbeat.totals.events).toBe(0);
    expect(afterHeartbeat.rates.total.m1).toBe(0);
  });
});

