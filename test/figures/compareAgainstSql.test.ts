// The dashboard's compare window ("same time yesterday / last week" in the operator's zone)
// against plain SQL over the events of the window an operator means: the same local clock times
// whole calendar days back, found here by brute force over the zone's offsets (not by the
// service's own arithmetic), across daylight-saving changes, in zones with half-hour and
// 45-minute offsets and a 30-minute DST step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DashboardService } from '../../electron/core/dashboard/dashboardService';
import { storeOn } from '../../electron/core/store/store';
import { tempDir } from '../support/tempDir';
import { FreshDatabases, expectTotalsMatch, sqlWindow, storeInArrivalOrder, storeWithRestart, type Sent } from '../support/sqlFigures';

const dir = tempDir('payops-compare-sql-');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formats = new Map<string, Intl.DateTimeFormat>();

/** Wall clock of `ms` in `zone` as "YYYY-MM-DD HH:MM" (seconds are whole minutes here). */
function wall(ms: number, zone: string): string {
  let f = formats.get(zone);
  if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Every instant (whole minutes) whose wall clock in `zone` is the wall clock of `ms` moved `days` calendar days. */
function sameClockDaysBack(ms: number, days: number, zone: string): number[] {
  const [date, time] = wall(ms, zone).split(' ');
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  const wanted = `${d.toISOString().slice(0, 10)} ${time}`;
  const naive = Date.parse(`${d.toISOString().slice(0, 10)}T${time}:00Z`);
  const out: number[] = [];
  for (let off = -15 * 60; off <= 15 * 60; off += 15) if (wall(naive - off * MINUTE, zone) === wanted) out.push(naive - off * MINUTE);
  return out;
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
/** Two weeks of traffic around the October/November changes (Berlin 25 Oct, New York 1 Nov; Lord Howe's 4 Oct is before it). */
const START = Date.UTC(2026, 9, 20, 0, 0);
const END = Date.UTC(2026, 10, 4, 0, 0);

function traffic(): Sent[] {
  const out: Sent[] = [];
  let i = 0;
  // An attempt about every 4 minutes (not a divisor of an hour, so edges fall everywhere).
  for (let t = START; t < END; t += 4 * MINUTE + 7_013) {
    i += 1;
    const type = i % 4 === 0 ? 'payment.declined' : 'payment.authorized';
    const data = { paymentId: `c-${i}`, merchantId: 'm_1', amount: i, currency: i % 3 ? 'KWD' : 'JPY', latencyMs: i % 997, ...(type === 'payment.declined' ? { declineCode: '51' } : {}) };
    out.push({ event: { specversion: '1.0', id: `c-${i}`, source: 'psp/authorizer', type, time: new Date(t).toISOString(), data }, arrivalMs: t });
  }
  return out;
}

describe('compare windows against SQL over the events of the same local clock times days back', () => {
  const databases = new FreshDatabases(dir);

  it('yesterday and last week, in zones with DST changes and odd offsets, for random windows', () => {
    databases.use((db) => {
      storeWithRestart(db, traffic(), 500, 100);
      const dash = new DashboardService(storeOn(db));
      fc.assert(
        fc.property(
          fc.integer({ min: (START + 8 * DAY) / MINUTE, max: (END - DAY) / MINUTE }).map((m) => m * MINUTE),
          fc.integer({ min: 1, max: 3 * 24 * 60 }).map((m) => m * MINUTE),
          fc.constantFrom(...ZONES),
          fc.constantFrom('yesterday' as const, 'lastWeek' as const),
          (fromMs, span, timeZone, compare) => {
            const toMs = Math.min(fromMs + span, END);
            const days = compare === 'yesterday' ? 1 : 7;
            const fromBack = sameClockDaysBack(fromMs, days, timeZone);
            const toBack = sameClockDaysBack(toMs, days, timeZone);
            // A clock time the day skipped or had twice (either window's ends) has no single
            // answer: those windows are not judged here.
            const once = (ms: number) => sameClockDaysBack(ms, 0, timeZone).length === 1;
            fc.pre(fromBack.length === 1 && toBack.length === 1 && once(fromMs) && once(toMs));
            const s = dash.series({ fromMs, toMs, compare, timeZone });
            const c = s.compare!;
            const label = `${timeZone} ${compare} of [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()})`;
            expect(s.fromMs - c.offsetMs, `${label}: start`).toBe(fromBack[0]);
            expect(c.fromMs, `${label}: drawn from`).toBe(s.fromMs);
            expect(c.toMs, `${label}: drawn to`).toBe(s.toMs);
            expectTotalsMatch({ ...s, ...c, compare: null }, sqlWindow(db, fromBack[0], toBack[0]), label);
          },
        ),
        { numRuns: process.env.PAYOPS_LONG ? 400 : 25, seed: 8 },
      );
    });
  }, process.env.PAYOPS_LONG ? 600_000 : undefined);
});

describe('the compare line over an hour the clock repeats (Europe/Berlin, 25 October 2026)', () => {
  const databases = new FreshDatabases(dir);
  const zone = 'Europe/Berlin';
  /** An attempt or more every minute (its index mod 3, plus 1) over the days back the cases read: 23-24 and 24-25 October around 02:00 local. */
  function everyMinute(): Sent[] {
    const out: Sent[] = [];
    let i = 0;
    for (const [from, to] of [[Date.UTC(2026, 9, 23, 23), Date.UTC(2026, 9, 24, 2)], [Date.UTC(2026, 9, 24, 21), Date.UTC(2026, 9, 25, 3)]]) {
      for (let t = from; t < to; t += MINUTE) {
        for (let k = 0; k <= i % 3; k++) {
          const type = k === 1 ? 'payment.declined' : 'payment.authorized';
          out.push({ event: { specversion: '1.0', id: `m-${i}-${k}`, source: 'psp/authorizer', type, time: new Date(t + k * 1000).toISOString(), data: { paymentId: `m-${i}-${k}`, merchantId: 'm_1', amount: 100, currency: 'EUR' } }, arrivalMs: t });
        }
        i += 1;
      }
    }
    return out;
  }
  const attemptsIn = (db: Parameters<Parameters<FreshDatabases['use']>[0]>[0], from: number) => {
    const w = sqlWindow(db, from, from + MINUTE);
    return w.authorized + w.declined + w.failed;
  };

  it.each([
    // The day after: yesterday held 02:00-03:00 twice.
    ['the day after, against yesterday', Date.UTC(2026, 9, 25, 22, 30), Date.UTC(2026, 9, 26, 3, 0), 'yesterday'],
    // The day itself: today holds 02:00-03:00 twice, yesterday once.
    ['the day itself, against yesterday', Date.UTC(2026, 9, 24, 23, 30), Date.UTC(2026, 9, 25, 3, 0), 'yesterday'],
  ] as const)('%s: each drawn minute shows the same clock minute days back, in time order', (_name, fromMs, toMs, compare) => {
    databases.use((db) => {
      storeInArrivalOrder(db, everyMinute(), 2000);
      const s = new DashboardService(storeOn(db)).series({ fromMs, toMs, compare, timeZone: zone });
      const c = s.compare!;
      expect(s.stepMs).toBe(MINUTE);
      const lines: [string, [number, number][]][] = [
        ['attempts', c.attempts],
        ['approval', c.approvalRate],
        ['authorized EUR', c.volume[0].authorized],
        ...c.decisions.map((d) => [d.decision, d.points] as [string, [number, number][]]),
      ];
      for (const [name, points] of lines) {
        for (let i = 1; i < points.length; i++) expect(points[i][0], `${name}: point ${i} after point ${i - 1}`).toBeGreaterThan(points[i - 1][0]);
      }
      // Every minute drawn has traffic the day before at its clock time: one point each, no gap.
      const drawn = (toMs - fromMs) / MINUTE;
      expect(c.attempts.map(([t]) => t)).toEqual(Array.from({ length: drawn }, (_, i) => fromMs + i * MINUTE));
      for (const [t, n] of c.attempts) {
        const back = sameClockDaysBack(t, 1, zone);
        expect(back.length, `${wall(t, zone)}: one clock time back`).toBeGreaterThan(0);
        expect(back.map((b) => attemptsIn(db, b)), `attempts drawn at ${new Date(t).toISOString()} (${wall(t, zone)})`).toContain(n);
      }
    });
  });
});
