// A slice of the PaySim demo capture replayed through the real engine: the live figures of
// the end snapshot (windows of event time before the replay clock) against the rollups the
// same replay stored for the same seconds, and the minute rollups (the dashboard's) against
// the per-second ones. Throughput by type, approvals and declines per attempt, declines per
// code and authorized amounts per currency must agree.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSession } from '../../electron/core/engine/composeEngine';
import type { EngineConfig } from '../../electron/core/engine/engineConfig';
import { DEMO_CAPTURE } from '../support/explorerTestKit';
import { replayedToTheEnd } from '../support/replayedSession';
import { tempDir } from '../support/tempDir';

const dir = tempDir('payops-live-vs-rollups-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});

// Ends just after the capture's busiest five minutes (57 events from 10:30).
const SLICE = { fromMs: Date.parse('2026-11-02T09:50:00Z'), toMs: Date.parse('2026-11-02T10:35:00Z') };

describe('PaySim replay: live figures against the stored rollups', () => {
  it('agree for the windows before the clock, and the minute rollups with the seconds', async () => {
    const config: EngineConfig = { dbFile: path.join(dir, 'p.db'), session: 'replay', replay: { file: DEMO_CAPTURE, speed: 'max', ...SLICE } };
    const session = await replayedToTheEnd(config, running);
    const s = session.engine.snapshot();
    const { rollups, minuteRollups } = session.engine.store;
    const endSec = Math.floor(s.clock / 1000);

    const typeCounts = (seconds: number) => {
      const out: Record<string, number> = {};
      for (const r of rollups.typeCountsBySteps(1, endSec - seconds, endSec)) out[r.key] = (out[r.key] ?? 0) + r.n;
      return out;
    };
    const m5 = typeCounts(300);
    expect(Object.values(m5).reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
    const live5: Record<string, number> = {};
    for (const [type, r] of Object.entries(s.rates.byType)) if (r && r.m5 > 0) live5[type] = Math.round(r.m5 * 300);
    expect(live5).toEqual(m5);
    expect(s.rates.total.m5 * 300).toBeCloseTo(Object.values(m5).reduce((a, b) => a + b, 0), 9);

    const m1 = typeCounts(60);
    const live1: Record<string, number> = {};
    for (const [type, r] of Object.entries(s.rates.byType)) if (r && r.m1 > 0) live1[type] = Math.round(r.m1 * 60);
    expect(live1).toEqual(m1);
    const auth = m1['payment.authorized'] ?? 0;
    const declined = m1['payment.declined'] ?? 0;
    const attempts = auth + declined + (m1['payment.failed'] ?? 0);
    expect(attempts).toBeGreaterThan(0);
    expect(s.approvalRate).toBeCloseTo(auth / attempts, 12);
    expect(s.declineRate).toBeCloseTo(declined / attempts, 12);

    // Authorized amounts per currency over the last minute: exact minor units.
    const cells = rollups.sumsExceptType(endSec - 60, endSec);
    const stored = cells.filter((c) => c.dim === 'authorized').map((c) => ({ currency: c.key, amount: c.a, count: c.n }));
    expect([...s.authorizedLastMinute].sort((a, b) => (a.currency < b.currency ? -1 : 1))).toEqual(stored.sort((a, b) => (a.currency < b.currency ? -1 : 1)));
    // Declines per code add up to the declines.
    expect(cells.filter((c) => c.dim === 'decline').reduce((n, c) => n + c.n, 0)).toBe(declined);

    // The dashboard's minute rollups over the slice's whole minutes, against the seconds.
    const [m0, mEnd] = [SLICE.fromMs / 60_000, Math.floor(endSec / 60)];
    const bySeconds = new Map(rollups.sumsExceptType(m0 * 60, mEnd * 60).map((c) => [`${c.dim}/${c.key}`, { n: c.n, a: c.a }]));
    for (const dim of ['authorized', 'decline', 'failed', 'decision'] as const) {
      for (const c of minuteRollups.totals(dim, m0, mEnd)) expect({ dim, key: c.key, n: c.n, a: c.a }).toEqual({ dim, key: c.key, ...bySeconds.get(`${dim}/${c.key}`) });
    }
    const minuteTypes = Object.fromEntries(minuteRollups.totals('type', m0, mEnd).map((c) => [c.key, c.n]));
    const secondTypes: Record<string, number> = {};
    for (const r of rollups.typeCountsBySteps(60, m0 * 60, mEnd * 60)) secondTypes[r.key] = (secondTypes[r.key] ?? 0) + r.n;
    expect(minuteTypes).toEqual(secondTypes);
  });
});
