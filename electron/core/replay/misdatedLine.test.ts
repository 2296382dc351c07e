// One line of a capture misdated years ahead (or back) in the middle: the real engine
// (composeEngine, a replay session, real SQLite) must give the same alerts, the same
// dashboard figures after the line and the same rollups (but the line's own cells) as the
// capture without it, at max and paced.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../../shared/metrics';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { tempDir } from '../../../test/support/tempDir';
import { alertHistoryOrNull, captureLines, KIT_START_MS, writeCapture } from '../../../test/support/replayTestKit';
import { manualClock, waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-misdated-');
let counter = 0;
const running: EngineSession[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});

const THREE_YEARS_MS = 3 * 365 * 86_400_000;

/** `lines` with a copy of line `at` (an event of a payment of its own), its time moved by `shiftMs`, inserted before it. */
function withMisdated(lines: string[], at: number, shiftMs: number): string[] {
  const o = JSON.parse(lines[at]) as { id: string; time: string; subject?: string; data: { paymentId: string } };
  const paymentId = `${o.data.paymentId}-misdated`;
  const misdated = JSON.stringify({ ...o, id: `${o.id}-misdated`, subject: paymentId, time: new Date(Date.parse(o.time) + shiftMs).toISOString(), data: { ...o.data, paymentId } });
  return [...lines.slice(0, at), misdated, ...lines.slice(at)];
}

async function startReplay(file: string, speed: number | 'max', now?: () => number) {
  const dbFile = path.join(dir, `s${++counter}.db`);
  // The wall clock (`now`) is the replay source's test option.
  const config: EngineConfig = { dbFile, session: 'replay', replay: { file, speed, now } as EngineConfig['replay'] };
  let resolveDrained!: () => void;
  const drained = new Promise<void>((r) => (resolveDrained = r));
  const session = composeEngine(config, { snapshot: () => undefined, log: () => undefined, drained: () => resolveDrained() });
  running.push(session);
  await session.start();
  return { session, dbFile, drained };
}

/** What the dashboard shows of a snapshot: the clock and the live windows. */
function dashboard(s: EngineSnapshot) {
  return {
    clock: s.clock,
    rates: s.rates,
    approvalRate: s.approvalRate,
    declineRate: s.declineRate,
    paymentsLastMinute: s.paymentsLastMinute,
    authorizedLastMinute: s.authorizedLastMinute,
  };
}

async function replayToEnd(file: string, speed: number | 'max') {
  const r = await startReplay(file, speed);
  await r.drained;
  const end = { dashboard: dashboard(r.session.engine.snapshot()), history: await r.session.services.metrics.history({ minutes: 5 }) };
  await r.session.stop();
  running.splice(running.indexOf(r.session), 1);
  return { ...end, dbFile: r.dbFile };
}

function rollupRows(dbFile: string): Map<string, string> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = new Map<string, string>();
    for (const [table, at] of [['rollup_second', 'sec'], ['rollup_minute', 'minute'], ['rollup_ten_minute', 'bucket']] as const) {
      for (const r of db.prepare(`SELECT ${at} AS at, dim, key, count, amount FROM ${table}`).all() as { at: number; dim: string; key: string }[]) {
        rows.set(`${table} ${r.at} ${r.dim} ${r.key}`, JSON.stringify(r));
      }
    }
    return rows;
  } finally {
    db.close();
  }
}

describe('a capture with one line misdated years away', () => {
  // A decline spike after a 4-minute warm-up, 25 events a second over 9 minutes; the line is
  // misdated 2 minutes in, before the spike.
  const lines = captureLines(13_500, 25, false, 7, 'decline-spike', { anomalyStartMs: 240_000, anomalyDurationMs: 180_000 });
  const at = 3000;

  for (const shift of [THREE_YEARS_MS, -THREE_YEARS_MS]) {
    const name = shift > 0 ? 'ahead' : 'back';
    it(`3 years ${name}, at max: the same alerts, and the dashboard and history at the end, as without it`, async () => {
      const plain = writeCapture(path.join(dir, `plain-${name}.ndjson`), lines);
      const misdated = writeCapture(path.join(dir, `misdated-${name}.ndjson`), withMisdated(lines, at, shift));
      const a = await replayToEnd(plain, 'max');
      const b = await replayToEnd(misdated, 'max');
      const fired = (dbFile: string) => (alertHistoryOrNull(dbFile) as { rule: string; firedAt: unknown; resolvedAt: unknown }[]).map((x) => [x.rule, x.firedAt, x.resolvedAt]);
      expect(fired(a.dbFile).length).toBeGreaterThan(0);
      expect(fired(b.dbFile)).toEqual(fired(a.dbFile));
      expect(b.dashboard).toEqual(a.dashboard);
      expect(b.dashboard.rates.total.m1).toBe(25);
      expect(b.history).toEqual(a.history);
    });

    it(`3 years ${name}, at max: no rollup row changes but the line's own second, minute and ten minutes`, async () => {
      const plain = writeCapture(path.join(dir, `plain-r-${name}.ndjson`), lines);
      const misdated = writeCapture(path.join(dir, `misdated-r-${name}.ndjson`), withMisdated(lines, at, shift));
      const before = rollupRows((await replayToEnd(plain, 'max')).dbFile);
      const after = rollupRows((await replayToEnd(misdated, 'max')).dbFile);
      const changed = [...before].filter(([key, row]) => after.get(key) !== row).map(([key]) => key);
      expect(changed).toEqual([]);
      const extra = [...after.keys()].filter((k) => !before.has(k));
      const misdatedSec = Math.floor((Date.parse((JSON.parse(lines[at]) as { time: string }).time) + shift) / 1000);
      expect(extra.filter((k) => k.startsWith('rollup_second ')).every((k) => k.split(' ')[1] === String(misdatedSec))).toBe(true);
      for (const table of ['rollup_second', 'rollup_minute', 'rollup_ten_minute']) {
        expect(new Set(extra.filter((k) => k.startsWith(`${table} `)).map((k) => k.split(' ')[1])).size).toBe(1);
      }
    });
  }

  it('3 years ahead, paced: right after the line the clock and the windows are those of the capture without it, and at its end too', async () => {
    // 10 events a second over 60 s; the line is misdated 30 s in.
    const short = captureLines(600, 10, false, 9);
    const plain = writeCapture(path.join(dir, 'paced-plain.ndjson'), short);
    const misdated = writeCapture(path.join(dir, 'paced-misdated.ndjson'), withMisdated(short, 300, THREE_YEARS_MS));
    const views: ReturnType<typeof dashboard>[][] = [];
    for (const file of [plain, misdated]) {
      const wall = manualClock();
      const r = await startReplay(file, 1, wall.now);
      const seen: ReturnType<typeof dashboard>[] = [];
      const stored = () => r.session.engine.snapshot().totals.events;
      await waitFor(() => stored() >= 1, 'the first line to be stored');
      // 30.5 s: the lines at 0..30 s (and the misdated one) are due and stored.
      wall.advance(30_500);
      const timeOf = (line: string) => Date.parse((JSON.parse(line) as { time: string }).time);
      const due = short.filter((l) => timeOf(l) <= KIT_START_MS + 30_500).length + (file === misdated && timeOf(short[299]) <= KIT_START_MS + 30_500 ? 1 : 0);
      await waitFor(() => stored() === due, () => `${due} events stored, ${stored()} so far ${JSON.stringify(r.session.services.replay.status({}))}`);
      seen.push(dashboard(r.session.engine.snapshot()));
      wall.advance(40_000); // past the end
      await r.drained;
      seen.push(dashboard(r.session.engine.snapshot()));
      views.push(seen);
      await r.session.stop();
      running.splice(running.indexOf(r.session), 1);
    }
    expect(views[0][0].clock).toBe(KIT_START_MS + 30_500);
    expect(views[1]).toEqual(views[0]);
    expect(views[1][1].clock).toBe(KIT_START_MS + 59_900);
  });
});
