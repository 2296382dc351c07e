// In-process replay sessions (Engine + ReplaySource under plain Node): determinism,
// pacing, pause/resume/seek/speed, corrupt input.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiRequest } from '../../../shared/api';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { tempDir } from '../../../test/support/tempDir';
import { parseReplaySpeed, type ReplayStatus } from './replaySource';
import { MAX_PACED_GAP_MS } from '../../../shared/replayGap';
import { alertHistoryOrNull, captureLines, dbFigures, KIT_START_MS, writeCapture } from '../../../test/support/replayTestKit';
import { manualClock, waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-replay-');
let counter = 0;
const running: EngineSession[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});

interface Session {
  session: EngineSession;
  engine: EngineSession['engine'];
  dbFile: string;
  drained: Promise<void>;
  status(): Promise<ReplayStatus>;
  control(args: Record<string, unknown>): Promise<ReplayStatus>;
  logs: string[];
}

// `now`: the replay's wall clock (a manualClock's), so that pacing tests move time themselves.
type Extra = Partial<EngineConfig> & { startPaused?: boolean; checkpointEvery?: number; now?: () => number };

async function startReplay(file: string, speed: number | 'max', extra: Extra = {}): Promise<Session> {
  const dbFile = path.join(dir, `s${++counter}.db`);
  const { startPaused, checkpointEvery, now, ...rest } = extra;
  const replay = { file, speed, startPaused, checkpointEvery, now, ...rest.replay } as EngineConfig['replay'];
  const config: EngineConfig = { dbFile, session: 'replay', ...rest, replay };
  let resolveDrained!: () => void;
  const drained = new Promise<void>((r) => (resolveDrained = r));
  const logs: string[] = [];
  const session = composeEngine(config, { snapshot: () => undefined, log: (l) => logs.push(l), drained: () => resolveDrained() });
  running.push(session);
  await session.start();
  return {
    session,
    engine: session.engine,
    dbFile,
    drained,
    logs,
    status: async () => session.services.replay.status({}),
    // Validated as the API boundary validates it, then handed to the service typed.
    control: async (args) => session.services.replay.control(parseApiRequest<'replay.control'>('replay.control', args).args),
  };
}

async function replayToEnd(file: string, speed: number | 'max', extra: Partial<EngineConfig> = {}) {
  const s = await startReplay(file, speed, extra);
  await s.drained;
  const status = await s.status();
  await s.session.stop();
  running.splice(running.indexOf(s.session), 1);
  return { dbFile: s.dbFile, status };
}

const storedEvents = (dbFile: string) => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('replay determinism', () => {
  it('gives identical stats, rollups, events, quarantine and alert history at max (two batch sizes) and x600', async () => {
    // A decline spike after a 4-minute warm-up: 13,500 events over 9 minutes of event time
    // (x600 paces it over about 0.9 s).
    const lines = captureLines(13_500, 25, true, 7, 'decline-spike', { anomalyStartMs: 240_000, anomalyDurationMs: 180_000 });
    const file = writeCapture(path.join(dir, 'det.ndjson'), lines);
    const a = await replayToEnd(file, 'max', { batchSize: 500 });
    const b = await replayToEnd(file, 'max', { batchSize: 7, flushMs: 1 });
    const c = await replayToEnd(file, 600, { batchSize: 100 });
    const fa = dbFigures(a.dbFile);
    expect(fa.stats.events).toBe(13_500 + 2); // + the unknown type and the recorded copy
    expect(fa.stats.duplicates).toBe(2);
    expect(fa.stats.quarantined).toBe(2); // the non-JSON line and the recorded quarantined body
    expect(fa.stats.unknownTypes).toBe(1);
    expect(a.status.badLines).toBe(1);
    expect(a.status.badLineSamples[0]).toMatchObject({ line: 10 });
    expect(dbFigures(b.dbFile)).toEqual(fa);
    expect(dbFigures(c.dbFile)).toEqual(fa);
    const alerts = alertHistoryOrNull(a.dbFile) as { rule: string; firedAt: unknown }[] | null;
    // Null until the alert tables exist (migration 010); then the spike must have fired something.
    if (alerts !== null) expect(alerts.filter((x) => x.firedAt).length).toBeGreaterThan(0);
    expect(alertHistoryOrNull(b.dbFile)).toEqual(alerts);
    expect(alertHistoryOrNull(c.dbFile)).toEqual(alerts);
  });

  it('records a replay into a capture with every event whole: replaying that recording stores the same events and rollups', async () => {
    // The pipeline lets a valid message's body go once the capture tap has seen it.
    const file = writeCapture(path.join(dir, 'rerecord-src.ndjson'), captureLines(3000, 10, true, 11));
    const recording = path.join(dir, 'rerecord-out.ndjson');
    const a = await replayToEnd(file, 'max', { captureFile: recording });
    const b = await replayToEnd(recording, 'max');
    const fa = dbFigures(a.dbFile);
    const fb = dbFigures(b.dbFile);
    expect(fa.events).toHaveLength(3000 + 2);
    expect(fb.events).toEqual(fa.events);
    expect(fb.rollups).toEqual(fa.rollups);
    const recorded = fs.readFileSync(recording, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event?: unknown; bodyBase64?: string });
    expect(recorded.filter((r) => r.event !== undefined).length).toBeGreaterThanOrEqual(3000);
    // The unreadable line too, with the bytes the source file held (it replays as quarantined again).
    const unreadable = recorded.filter((r) => r.event === undefined).map((r) => Buffer.from(r.bodyBase64!, 'base64').toString());
    expect(unreadable).toContain('this is { not json');
    expect(fb.stats.quarantined).toBe(fa.stats.quarantined);
  });

  it('stores arrival time from the file, never wall time: recorded arrivalMs, else event time, else the watermark', async () => {
    const file = writeCapture(path.join(dir, 'arrival.ndjson'), captureLines(40, 10));
    const { dbFile } = await replayToEnd(file, 'max');
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare('SELECT id, type, time_ms, arrival_ms, routing_key FROM events').all() as { id: string; type: string; time_ms: number; arrival_ms: number; routing_key: string | null }[];
    const q = db.prepare('SELECT arrival_ms, reason, origin, length(body) AS len FROM quarantine ORDER BY seq').all() as { arrival_ms: number; reason: string; origin: string | null; len: number }[];
    db.close();
    const recorded = rows.find((r) => r.id.endsWith('-rec'))!;
    expect(recorded.arrival_ms).toBe(KIT_START_MS + 123_456);
    expect(recorded.routing_key).toBe(recorded.type);
    const unknown = rows.find((r) => r.id === 'u-1')!;
    expect(unknown.arrival_ms).toBe(unknown.time_ms);
    expect(unknown.time_ms).toBeGreaterThanOrEqual(KIT_START_MS);
    for (const r of rows.filter((x) => x.type !== 'com.example.heartbeat' && !x.id.endsWith('-rec'))) expect(r.arrival_ms).toBe(r.time_ms);
    expect(q[0]).toMatchObject({ reason: expect.stringMatching(/^capture line 10: not JSON/), origin: `${file}:10` });
    expect(q[0].arrival_ms).toBeGreaterThanOrEqual(KIT_START_MS);
    expect(q[0].arrival_ms).toBeLessThan(KIT_START_MS + 10_000);
    expect(q[1]).toMatchObject({ reason: expect.stringMatching(/not JSON/), origin: `${file}:31`, len: 8 });
  });

  it('gives lines before the first timed line that timed line\'s time, not 1970', async () => {
    const timed = captureLines(10, 10, false);
    const untimed = JSON.stringify({ specversion: '1.0', id: 'u-first', source: 'ops/other', type: 'com.example.heartbeat' });
    const file = writeCapture(path.join(dir, 'untimed-first.ndjson'), [untimed, 'not { json', ...timed]);
    const firstTime = Date.parse((JSON.parse(timed[0]) as { time: string }).time);
    const { dbFile } = await replayToEnd(file, 'max');
    const db = new Database(dbFile, { readonly: true });
    const first = db.prepare("SELECT time_ms, arrival_ms FROM events WHERE id = 'u-first'").get() as { time_ms: number; arrival_ms: number };
    const bad = db.prepare('SELECT arrival_ms FROM quarantine ORDER BY seq LIMIT 1').get() as { arrival_ms: number };
    db.close();
    expect(first).toEqual({ time_ms: firstTime, arrival_ms: firstTime });
    expect(bad.arrival_ms).toBe(firstTime);
  });
});

describe('replay pacing and control', () => {
  // 101 events, one per second of event time: 100 s.
  const paced = () => writeCapture(path.join(dir, `paced${++counter}.ndjson`), captureLines(101, 1, false));

  // On the replay's own wall clock (a manualClock), moved by the test: a line is pushed when the
  // clock reaches its event time at the speed, never before, and none is waited for past it.
  // At each step the lines due are exactly known, so a loaded machine cannot fail it, and a
  // pacing broken (too fast, or at another speed) pushes lines before they are due.
  async function pushedAt(s: Session, wall: ReturnType<typeof manualClock>, steps: [advanceMs: number, due: number][]) {
    for (const [advanceMs, due] of steps) {
      wall.advance(advanceMs);
      await waitFor(async () => (await s.status()).pushed >= due, `the ${due} lines due`);
      expect((await s.status()).pushed).toBe(due);
    }
  }

  it('paces by event time: at x100 1 s of wall time replays 100 s of events, at x1000 0.1 s', async () => {
    const file = paced();
    const wall = manualClock();
    const s = await startReplay(file, 100, { now: wall.now });
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    // Lines at t = 0, 1, ... 100 s: after w ms of wall time at x100, those at t <= w / 10 s.
    await pushedAt(s, wall, [[0, 1], [105, 11], [400, 51], [490, 100]]);
    expect((await s.status()).state).toBe('running');
    wall.advance(5);
    await s.drained;
    const st = await s.status();
    expect(st.state).toBe('done');
    expect(st.pushed).toBe(101);
    expect(st.to! - st.from!).toBe(100_000);
    expect(st.toExact).toBe(true);
    const fastWall = manualClock();
    const fast = await startReplay(file, 1000, { now: fastWall.now });
    await waitFor(async () => (await fast.status()).from !== null, 'the first line to be read');
    await pushedAt(fast, fastWall, [[10, 11], [40, 51]]);
    fastWall.advance(50);
    await fast.drained;
    expect((await fast.status()).pushed).toBe(101);
  });

  it('pause freezes the clock and the stored events; resume goes on from there', async () => {
    const wall = manualClock();
    const s = await startReplay(paced(), 100, { now: wall.now });
    // The replay clock starts at the first line's event time, read at the wall time then.
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    wall.advance(300); // 30 s of event time at x100: lines t = 0..30 s are due
    await waitFor(async () => (await s.status()).pushed >= 31, 'the lines due after 300 ms at x100');
    const paused = await s.control({ action: 'pause' });
    expect(paused.state).toBe('paused');
    const n1 = storedEvents(s.dbFile);
    expect(n1).toBeGreaterThan(5);
    expect(n1).toBeLessThan(90);
    wall.advance(400); // would be 40 s more of event time if the clock still ran
    const still = await s.status();
    expect(still.position).toBe(paused.position);
    expect(storedEvents(s.dbFile)).toBe(n1);
    expect(s.engine.clock()).toBe(paused.position);
    await s.control({ action: 'resume' });
    wall.advance(100_000 / 100); // the rest of the 100 s capture at x100
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(101);
  });

  it('a speed change takes effect at once (x10 -> max)', async () => {
    const wall = manualClock();
    const s = await startReplay(paced(), 10, { now: wall.now });
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    wall.advance(200); // 2 s of event time at x10
    await waitFor(async () => (await s.status()).pushed >= 3, 'the lines due after 200 ms at x10');
    const before = await s.status();
    expect(before.speed).toBe(10);
    expect(before.state).toBe('running');
    const after = await s.control({ action: 'speed', speed: 'max' });
    expect(after.speed).toBe('max');
    // The wall clock stands still from here: at x10 the rest would never be due; at max it all is.
    let drained = false;
    void s.drained.then(() => (drained = true));
    await waitFor(() => drained, 'the rest of the capture at max, the wall clock stopped');
    expect(storedEvents(s.dbFile)).toBe(101);
    await expect(s.control({ action: 'speed', speed: -3 })).rejects.toThrow(/speed: must be 'max' or a number from 0.01 to 1,000,000/);
    await expect(s.control({ action: 'speed', speed: 1e-300 })).rejects.toThrow(/speed: must be 'max' or a number from 0.01 to 1,000,000/);
    await expect(s.control({ action: 'jump' })).rejects.toThrow(/unknown action/);
  });

  it('reads its rate over the last seconds, so bursts with gaps between them do not read 0 events/s', async () => {
    // A sparse capture (as PaySim's hours are): 40 events in the first second, the next ones
    // 2,000 s of event time later. At x100 the gap is 20 s of wall time.
    const at = (k: number, ms: number) => ({ ...JSON.parse(captureLines(1, 1, false, k)[0]), id: `burst-${k}`, time: new Date(KIT_START_MS + ms).toISOString() });
    const lines = [...Array.from({ length: 40 }, (_, k) => at(k, k * 20)), ...Array.from({ length: 10 }, (_, k) => at(40 + k, 2_000_000 + k))];
    const file = writeCapture(path.join(dir, `bursts${++counter}.ndjson`), lines.map((l) => JSON.stringify(l)));
    const wall = manualClock();
    const s = await startReplay(file, 100, { now: wall.now });
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    wall.advance(20); // 2 s of event time: the whole first burst is due
    await waitFor(async () => (await s.status()).pushed === 40, 'the first burst');
    wall.advance(700);
    expect((await s.status()).eventsPerSecond).toBe(Math.round(40 / 0.72));
    wall.advance(700); // no event in these 700 ms: the rate spans the burst before them
    expect((await s.status()).eventsPerSecond).toBe(Math.round(40 / 1.42));
    wall.advance(10_000); // ten seconds on without an event: now it reads 0
    expect((await s.status()).eventsPerSecond).toBe(0);
    await s.control({ action: 'speed', speed: 'max' });
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(50);
  });

  it('seek forward fast-forwards (storing what it passes) and stays paused at the target', async () => {
    const s = await startReplay(paced(), 1, { startPaused: true });
    // Held at the first line: it has been read (from is known), nothing further.
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    expect(storedEvents(s.dbFile)).toBeLessThanOrEqual(1);
    const target = KIT_START_MS + 60_000;
    await s.control({ action: 'seek', to: new Date(target).toISOString() });
    await waitFor(async () => (await s.status()).seekingTo === null, 'the seek to reach its target');
    s.engine.flushNow();
    const st = await s.status();
    expect(st.state).toBe('paused');
    expect(st.position).toBe(target);
    expect(s.engine.clock()).toBe(target);
    expect(storedEvents(s.dbFile)).toBe(61); // t = 0..60 s: the event at the target too
    await s.control({ action: 'speed', speed: 'max' });
    await s.control({ action: 'resume' });
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(101);
  });

  it('a seek to an event\'s exact time stores that event, as the paced clock does on reaching it (forward and backward)', async () => {
    // Two events at exactly 30 s (a burst's first second), one a second for 100 s otherwise.
    const lines = captureLines(101, 1, false);
    const at30 = JSON.parse(lines[30]) as { id: string; time: string };
    lines.splice(31, 0, JSON.stringify({ ...at30, id: `${at30.id}-twin` }));
    const file = writeCapture(path.join(dir, 'exact-seek.ndjson'), lines);
    const exact = Date.parse(at30.time);
    expect(exact).toBe(KIT_START_MS + 30_000);
    const s = await startReplay(file, 1, { startPaused: true });
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    await s.control({ action: 'seek', to: new Date(exact).toISOString() });
    await waitFor(async () => (await s.status()).seekingTo === null, 'the seek to reach its target');
    s.engine.flushNow();
    const st = await s.status();
    expect(st.state).toBe('paused');
    expect(st.position).toBe(exact);
    expect(storedEvents(s.dbFile)).toBe(32); // t = 0..30 s, both events at 30 s
    // Backward to 20 s exactly, then on to the end: nothing stored twice.
    await s.control({ action: 'seek', to: KIT_START_MS + 20_000 });
    await waitFor(async () => (await s.status()).seekingTo === null, 'the backward seek to reach its target');
    expect((await s.status()).position).toBe(KIT_START_MS + 20_000);
    await s.control({ action: 'speed', speed: 'max' });
    await s.control({ action: 'resume' });
    await s.drained;
    s.engine.flushNow();
    expect(dbFigures(s.dbFile).stats).toMatchObject({ events: 102, duplicates: 0 });
  });

  it('seek backward re-reads from a checkpoint without pushing stored lines again (no duplicates), then goes on', async () => {
    const file = writeCapture(path.join(dir, 'back.ndjson'), captureLines(1000, 10, false)); // 100 s
    const wall = manualClock();
    const s = await startReplay(file, 'max', { checkpointEvery: 100, now: wall.now });
    await s.drained;
    const end = await s.status();
    expect(end.passes).toBe(1);
    const target = KIT_START_MS + 50_000;
    await s.control({ action: 'speed', speed: 1000 });
    const st = await s.control({ action: 'seek', to: target });
    expect(st.passes).toBe(2);
    expect(st.passStartLine).toBeGreaterThan(400); // from the checkpoint before 50 s, not line 1
    expect(st.passStartLine).toBeLessThanOrEqual(501);
    expect(st.state).toBe('running');
    expect(st.position).toBe(target);
    await waitFor(async () => (await s.status()).seekingTo === null, 'the backward seek to reach its target');
    wall.advance(20); // 20 s of event time at x1000: part of the remaining 50 s
    const mid = await s.status();
    expect(mid.position).toBeGreaterThanOrEqual(target);
    expect(mid.position).toBeLessThan(end.to!);
    wall.advance(50); // the rest
    await waitFor(async () => (await s.status()).state === 'done', 'the second pass to end');
    const again = await s.status();
    expect(again.state).toBe('done');
    expect(again.pushed).toBe(end.pushed);
    expect(again.line).toBe(1000);
    s.engine.flushNow();
    const figures = dbFigures(s.dbFile);
    expect(figures.stats.events).toBe(1000);
    expect(figures.stats.duplicates).toBe(0);
  });
});

describe('replay span of an out-of-order capture', () => {
  // Lines not in event-time order: the first line is neither the earliest nor the last the latest.
  const outOfOrder = () => {
    const at = (k: number, s: number) => JSON.stringify({ ...JSON.parse(captureLines(1, 1, false, k)[0]), id: `ooo-${k}`, time: new Date(KIT_START_MS + s * 1000).toISOString() });
    return [at(1, 30), at(2, 31), at(3, 5), at(4, 32), at(5, 90), at(6, 40), at(7, 0), at(8, 60)];
  };

  it('reports from = the earliest event and to = the latest, not the first and last lines (gzip, after the pass)', async () => {
    const file = writeCapture(path.join(dir, 'out-of-order.ndjson.gz'), outOfOrder(), { gzip: true });
    const { status } = await replayToEnd(file, 'max');
    expect(status.state).toBe('done');
    expect(status.from).toBe(KIT_START_MS);
    expect(status.to).toBe(KIT_START_MS + 90_000);
  });

  it('knows the earliest and latest of an uncompressed file from its read tail before playing', async () => {
    const file = writeCapture(path.join(dir, 'out-of-order.ndjson'), outOfOrder());
    const s = await startReplay(file, 1, { startPaused: true });
    await waitFor(async () => (await s.status()).to !== null, 'the end of the file to be read');
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    const st = await s.status();
    expect(st.state).toBe('paused');
    expect(st.from).toBe(KIT_START_MS);
    expect(st.to).toBe(KIT_START_MS + 90_000);
  });
});

describe('far-off event times in a paced replay', () => {
  it('skips a gap longer than MAX_PACED_GAP_MS (one event dated 3 years ahead), says so, and paces the rest again', async () => {
    const at = (k: number, ms: number) => JSON.stringify({ ...JSON.parse(captureLines(1, 1, false, k)[0]), id: `gap-${k}`, time: new Date(KIT_START_MS + ms).toISOString() });
    const threeYears = 3 * 365 * 86_400_000;
    // Lines 1-21 at 0..20 s, line 22 three years ahead, lines 23-42 at 21..40 s.
    const lines = [...Array.from({ length: 21 }, (_, k) => at(k, k * 1000)), at(21, threeYears), ...Array.from({ length: 20 }, (_, k) => at(22 + k, (21 + k) * 1000))];
    const file = writeCapture(path.join(dir, 'far-off.ndjson'), lines);
    const wall = manualClock();
    const s = await startReplay(file, 1, { now: wall.now });
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    wall.advance(20_000); // x1: lines at 0..20 s are due, then the far-off line
    const both = await waitFor(async () => {
      const st = await s.status();
      return st.skippedGaps.length === 2 ? st : null;
    }, 'the gap to the far-off line and back to be skipped');
    expect(both.skippedGaps).toEqual([
      { line: 22, fromMs: KIT_START_MS + 20_000, toMs: KIT_START_MS + threeYears },
      { line: 23, fromMs: KIT_START_MS + threeYears, toMs: KIT_START_MS + 21_000 },
    ]);
    // The rest is paced again from 21 s, not pushed at once behind a clock three years ahead.
    expect(both.position).toBe(KIT_START_MS + 21_000);
    expect(both.state).toBe('running');
    expect(both.pushed).toBe(23);
    expect(s.logs).toContain(`${file}: skipped a 3 y gap at line 22 (event time jumps more than ${MAX_PACED_GAP_MS / 3_600_000} h; a paced replay does not wait for it)`);
    expect(s.logs).toContain(`${file}: skipped a 3 y gap back at line 23 (event time jumps more than ${MAX_PACED_GAP_MS / 3_600_000} h; a paced replay does not wait for it)`);
    wall.advance(19_000);
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(42);
  });

  it('waits through a gap within the bound, as before', async () => {
    const at = (k: number, ms: number) => JSON.stringify({ ...JSON.parse(captureLines(1, 1, false, k)[0]), id: `near-${k}`, time: new Date(KIT_START_MS + ms).toISOString() });
    const file = writeCapture(path.join(dir, 'near-gap.ndjson'), [at(0, 0), at(1, MAX_PACED_GAP_MS), at(2, MAX_PACED_GAP_MS + 1000)]);
    const wall = manualClock();
    const s = await startReplay(file, 1, { now: wall.now });
    await waitFor(async () => (await s.status()).pushed === 1, 'the first line to be pushed');
    wall.advance(MAX_PACED_GAP_MS - 1);
    const st = await s.status();
    expect(st.position).toBe(KIT_START_MS + MAX_PACED_GAP_MS - 1);
    expect(st.pushed).toBe(1);
    expect(st.skippedGaps).toEqual([]);
    wall.advance(1001);
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(3);
  });
});

describe('replay of a time slice', () => {
  it('pushes only the lines whose event time is in [from, to), and the untimed or bad lines among them', async () => {
    const lines = captureLines(101, 1, false); // one event a second, 0..100 s
    const late = JSON.stringify({ ...JSON.parse(lines[45]), id: 'late-45' }); // out of order, inside the slice
    const untimed = JSON.stringify({ specversion: '1.0', id: 'u-in', source: 'ops/other', type: 'com.example.heartbeat' });
    lines.splice(80, 0, 'not { json'); // after the 79 s line: outside the slice
    lines.splice(50, 0, untimed); // after the 49 s line: inside the slice
    const file = writeCapture(path.join(dir, 'slice.ndjson'), [...lines, late]);
    const slice = { fromMs: KIT_START_MS + 30_000, toMs: KIT_START_MS + 60_000 };
    const { dbFile, status } = await replayToEnd(file, 'max', { replay: { file, speed: 'max', ...slice } });
    expect(status.state).toBe('done');
    const db = new Database(dbFile, { readonly: true });
    const times = db.prepare("SELECT time_ms FROM events WHERE type != 'com.example.heartbeat' ORDER BY time_ms").pluck().all() as number[];
    const unknown = db.prepare("SELECT id FROM events WHERE type = 'com.example.heartbeat'").pluck().all();
    db.close();
    expect(times).toHaveLength(31); // 30..59 s, and the late copy's 45 s
    expect(Math.min(...times)).toBe(slice.fromMs);
    expect(Math.max(...times)).toBe(slice.toMs - 1000);
    expect(unknown).toEqual(['u-in']);
    expect(dbFigures(dbFile).stats).toMatchObject({ events: 32, quarantined: 0 });
    expect(status.badLines).toBe(0);
    expect(status.from).toBe(slice.fromMs);
    expect(status.to).toBe(slice.toMs - 1000);
  });

  it('paces from the slice\'s first event, not from the capture\'s', async () => {
    const file = writeCapture(path.join(dir, 'slice-paced.ndjson'), captureLines(101, 1, false));
    const wall = manualClock();
    const s = await startReplay(file, 1, { now: wall.now, replay: { file, speed: 1, fromMs: KIT_START_MS + 90_000 } } as Extra);
    await waitFor(async () => (await s.status()).pushed === 1, 'the slice\'s first line to be pushed at once');
    expect((await s.status()).position).toBe(KIT_START_MS + 90_000);
    wall.advance(10_000);
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(11);
  });
});

describe('replay of corrupt input', () => {
  it('a truncated gzip: replays every complete line before the break, then reports error with the line', async () => {
    const lines = captureLines(2000, 50, false);
    const gz = gzipSync(lines.join('\n') + '\n');
    const file = path.join(dir, 'trunc.ndjson.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { dbFile, status } = await replayToEnd(file, 'max');
    expect(status.state).toBe('error');
    expect(status.error).toMatch(/line \d+: gzip data ends early after \d+ complete lines/);
    const n = storedEvents(dbFile);
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(2000);
    expect(Number(/line (\d+):/.exec(status.error!)![1])).toBe(n + 1);
  });

  it('non-JSON lines are quarantined with their line numbers; a half-written last line makes the capture truncated', async () => {
    const lines = captureLines(20, 10, false);
    lines.splice(4, 0, 'garbage');
    lines.splice(8, 0, '[1,2,3]');
    const file = writeCapture(path.join(dir, 'half.ndjson'), [...lines, lines[0].slice(0, 40)], { trailingNewline: false });
    const { dbFile, status } = await replayToEnd(file, 'max');
    // The file was cut mid-line (truncatedCapture.test.ts): the cut line is the break, not a bad line.
    expect(status.state).toBe('error');
    expect(status.truncated).toBe(true);
    expect(status.error).toMatch(/line 23: the last line has no line end and does not parse: the file is cut mid-line/);
    expect(status.badLines).toBe(2);
    expect(status.badLineSamples.map((b) => b.line)).toEqual([5, 9]);
    const db = new Database(dbFile, { readonly: true });
    const q = db.prepare('SELECT reason, origin, body FROM quarantine ORDER BY seq').all() as { reason: string; origin: string; body: Buffer }[];
    db.close();
    expect(q.map((r) => r.origin)).toEqual([`${file}:5`, `${file}:9`]);
    expect(q[1].reason).toMatch(/^capture line 9: not a JSON object/);
    // Each with the bytes the file held on that line, as a refused message keeps its body.
    expect(q.map((r) => r.body.toString())).toEqual(['garbage', '[1,2,3]']);
    expect(storedEvents(dbFile)).toBe(20);
  });

  it('binary, empty and missing files end the session with a clear error (no crash)', async () => {
    const bin = path.join(dir, 'x.bin');
    fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3]));
    const zip = path.join(dir, 'x.zip');
    fs.writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 3]));
    const empty = path.join(dir, 'empty.ndjson');
    fs.writeFileSync(empty, '');
    for (const [file, re] of [
      [bin, /line 1: not a text capture \(NUL byte/],
      [zip, /line 1: a zip archive: payops reads plain or gzip captures; decompress it first \(unzip\)/],
      [empty, /line 1: the file is empty/],
      [path.join(dir, 'nope.ndjson'), /line 1: cannot open \(ENOENT\)/],
    ] as const) {
      const { status } = await replayToEnd(file, 'max');
      expect(status.state).toBe('error');
      expect(status.error).toMatch(re);
    }
  });
});

describe('startPaused', () => {
  it('opens paused at the first event: nothing stored until resumed', async () => {
    const file = writeCapture(path.join(dir, 'open-me.ndjson.gz'), captureLines(10, 10, false), { gzip: true });
    const s = await startReplay(file, 'max', { startPaused: true });
    await waitFor(async () => (await s.status()).from !== null, 'the first line to be read');
    expect((await s.status()).state).toBe('paused');
    expect(storedEvents(s.dbFile)).toBe(0);
    await s.control({ action: 'resume' });
    await s.drained;
    expect(storedEvents(s.dbFile)).toBe(10);
  });
});

describe('parseReplaySpeed', () => {
  it('reads plain decimals (with the x of x10) and max; not hex, binary, exponents or blanks', () => {
    expect(parseReplaySpeed('max')).toBe('max');
    expect(parseReplaySpeed('x10')).toBe(10);
    expect(parseReplaySpeed(' 60 ')).toBe(60);
    expect(parseReplaySpeed('0.5')).toBe(0.5);
    expect(parseReplaySpeed(3600)).toBe(3600);
    for (const text of ['0x10', '1e3', '0b11', '0o7', 'x0x10', '1_000', '', ' ', 'x', '.', '+5', 'Infinity']) {
      expect(() => parseReplaySpeed(text), text).toThrow(/speed must be 'max' or a number/);
    }
  });
});
