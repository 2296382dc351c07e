// `payops report` (the built CLI, as an operator runs it) on a capture replayed by `payops replay`,
// against figures computed here from the capture's own lines: several merchants each in several
// currencies (zero-, two- and three-decimal), lines out of time order, duplicates of (source, id),
// the same id from another source, events exactly on second and minute edges and windows whose
// edges cut through a second (an alert's report window is rarely whole seconds). Totals, top
// merchants, the chart series (throughput, decline rate, risk decisions per bucket) and the CSV
// export's rows and amounts. Needs `npm run build:core`.
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../shared/explorer';
import { csvRows } from '../support/csvRows';
import { DEMO_CAPTURE } from '../support/explorerTestKit';
import { lastJson, runPayops } from '../support/cli';
import { seeded } from '../support/dashboardTestKit';
import { tempDir } from '../support/tempDir';

const dir = tempDir('payops-report-cli-');
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const SPAN = 40 * 60_000;
/** ISO 4217 decimals of the currencies used here, written out (not the product's table). */
const EXP: Record<string, number> = { JPY: 0, KRW: 0, CLP: 0, EUR: 2, USD: 2, BHD: 3, KWD: 3, JOD: 3, TND: 3, OMR: 3 };
const CURRENCIES = Object.keys(EXP);
const DECISIONS = ['approve', 'review', 'block'];
const CODES = ['05', '51', '54', '14', '91'];

interface Line { source: string; id: string; type: string; t: number; data: Record<string, unknown> }

/** The capture's lines (in file order) and the events a store must hold (first of each source and id). */
function traffic(seed: number): { lines: Line[]; events: Line[]; refused: Line[] } {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const lines: Line[] = [];
  let k = 0;
  // A time on an edge now and then: a whole second, a whole minute, or ms either side of one.
  const when = () => {
    const t = T0 + Math.floor(rnd() * SPAN);
    const r = rnd();
    if (r < 0.15) return Math.floor(t / 1000) * 1000;
    if (r < 0.25) return Math.floor(t / 60_000) * 60_000;
    if (r < 0.3) return Math.floor(t / 60_000) * 60_000 - 1;
    return t;
  };
  for (let i = 0; i < 900; i++) {
    const t = when();
    const merchantId = `m_${Math.floor(rnd() * 6)}`;
    const currency = pick(CURRENCIES);
    const amount = rnd() < 0.2 ? pick([1, 5, 999, 1001, 1_000_001, Number.MAX_SAFE_INTEGER - 7]) : Math.floor(rnd() * 9_000_000);
    const paymentId = `pay_${seed}_${i}`;
    const base = { paymentId, merchantId, amount, currency, country: pick(['DE', 'JP', 'KW', 'CL']), cardBin: pick(['424242', '52941200']) };
    const r = rnd();
    const type = r < 0.6 ? 'payment.authorized' : r < 0.9 ? 'payment.declined' : 'payment.failed';
    lines.push({ source: 'psp/auth', id: `e${k++}`, type, t, data: { ...base, ...(type === 'payment.declined' ? { declineCode: pick(CODES) } : {}) } });
    if (type !== 'payment.authorized' && rnd() < 0.4) {
      lines.push({ source: 'psp/auth', id: `e${k++}`, type: 'payment.authorized', t: t + 1 + Math.floor(rnd() * 90_000), data: { ...base, attempt: 2 } });
    }
    if (type === 'payment.authorized' && rnd() < 0.3) {
      // Captures and refunds of other amounts than authorized.
      lines.push({ source: 'psp/auth', id: `e${k++}`, type: 'payment.captured', t: t + 500, data: { ...base, amount: Math.floor(amount / 3) } });
      lines.push({ source: 'psp/auth', id: `e${k++}`, type: 'payment.refunded', t: t + 1500, data: { ...base, amount: Math.floor(amount / 7) } });
    }
    if (rnd() < 0.6) {
      const decision = pick(DECISIONS);
      lines.push({ source: 'risk/engine', id: `r${k++}`, type: 'risk.scored', t: t + Math.floor(rnd() * 3) * 250, data: { paymentId, merchantId, score: 50, decision } });
      if (decision === 'review') lines.push({ source: 'risk/engine', id: `r${k++}`, type: 'risk.flagged', t: t + 700, data: { paymentId, merchantId, score: 50, decision } });
    }
  }
  // Out of time order (a capture of late arrivals), then duplicates: the same (source, id) again,
  // and the same id from another source (another event).
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  const n = lines.length;
  for (let i = 0; i < 40; i++) lines.push({ ...lines[Math.floor(rnd() * n)] });
  for (let i = 0; i < 20; i++) lines.push({ ...lines[Math.floor(rnd() * n)], source: 'psp/mirror' });
  const seen = new Set<string>();
  const events = lines.filter((l) => !seen.has(`${l.source} ${l.id}`) && !!seen.add(`${l.source} ${l.id}`));
  // Events the contract refuses, each with its time: an amount as a string, past 2^53 - 1 minor
  // units, a currency in lower case. A replay quarantines them at their place in event time.
  const refused: Line[] = [];
  for (let i = 0; i < 15; i++) {
    const bad = [{ amount: '1250', currency: 'EUR' }, { amount: 2 ** 53, currency: 'JPY' }, { amount: 100, currency: 'eur' }][i % 3];
    refused.push({ source: 'psp/auth', id: `bad${i}`, type: 'payment.authorized', t: when(), data: { paymentId: `pay_bad_${i}`, merchantId: 'm_0', ...bad } });
  }
  for (const l of refused) lines.splice(Math.floor(rnd() * lines.length), 0, l);
  return { lines, events, refused };
}

const toCloudEvent = (l: Line) => JSON.stringify({ specversion: '1.0', id: l.id, source: l.source, type: l.type, time: new Date(l.t).toISOString(), data: l.data });
const ATTEMPTS = new Set(['payment.authorized', 'payment.declined', 'payment.failed']);

/** What the events say of [from, to), computed from them alone. */
function facts(events: Line[], from: number, to: number, bucketMs: number, match: (e: Line) => boolean = () => true) {
  const w = events.filter((e) => e.t >= from && e.t < to && match(e));
  const byType: Record<string, number> = {};
  const amounts: Record<string, bigint> = {};
  const codes: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  const merchants = new Map<string, [number, number]>();
  const start = Math.floor(from / bucketMs) * bucketMs;
  const buckets = new Map<number, { types: Record<string, number>; decisions: Record<string, number>; attempts: number; declined: number }>();
  const add = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  for (const e of w) {
    add(byType, e.type);
    const b = buckets.get(start + Math.floor((e.t - start) / bucketMs) * bucketMs) ?? { types: {}, decisions: {}, attempts: 0, declined: 0 };
    buckets.set(start + Math.floor((e.t - start) / bucketMs) * bucketMs, b);
    add(b.types, e.type);
    if (e.type === 'payment.authorized') amounts[e.data.currency as string] = (amounts[e.data.currency as string] ?? 0n) + BigInt(e.data.amount as number);
    if (e.type === 'payment.declined') add(codes, e.data.declineCode as string);
    if (e.type === 'risk.scored') {
      add(decisions, e.data.decision as string);
      add(b.decisions, e.data.decision as string);
    }
    if (ATTEMPTS.has(e.type)) {
      b.attempts += 1;
      if (e.type === 'payment.declined') b.declined += 1;
    }
    const m = merchants.get(e.data.merchantId as string) ?? [0, 0];
    m[0] += 1;
    if (e.type === 'payment.declined') m[1] += 1;
    merchants.set(e.data.merchantId as string, m);
  }
  const first = new Map<string, number>();
  const approved = new Set<string>();
  for (const e of events) {
    if (!ATTEMPTS.has(e.type)) continue;
    const p = e.data.paymentId as string;
    first.set(p, Math.min(e.t, first.get(p) ?? Infinity));
    if (e.type === 'payment.authorized') approved.add(p);
  }
  // A filtered report counts the payments of the matching attempts that started in the window.
  const matched = new Set(w.filter((e) => ATTEMPTS.has(e.type)).map((e) => e.data.paymentId as string));
  const started = [...first].filter(([p, t]) => t >= from && t < to && matched.has(p)).map(([p]) => p);
  const a = byType['payment.authorized'] ?? 0;
  const d = byType['payment.declined'] ?? 0;
  const f = byType['payment.failed'] ?? 0;
  return {
    w, byType, amounts, codes, decisions, merchants, buckets,
    approvalRate: a + d + f ? a / (a + d + f) : null,
    payments: started.length,
    approvedPayments: started.filter((p) => approved.has(p)).length,
  };
}

/** Minor units as the CSV's `amount` column writes them: the currency's decimals, by string arithmetic. */
function major(minor: bigint, currency: string): string {
  const digits = EXP[currency];
  const s = minor.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

describe('payops report on a replayed capture, against the capture', () => {
  const { lines, events, refused } = traffic(7);
  const capture = path.join(dir, 'traffic.ndjson');
  fs.writeFileSync(capture, lines.map(toCloudEvent).join('\n') + '\n');
  const db = path.join(dir, 'report.db');
  const replayed = runPayops(['replay', capture, '--db', db, '--json']);

  // Edges in ms, on seconds, on minutes; windows shorter than a second and across one second.
  const windows: [number, number][] = [
    [T0, T0 + SPAN + 200_000],
    [T0 + 61_234, T0 + 1_234_567],
    [T0 + 600_000, T0 + 1_800_000],
    [T0 + 300_500, T0 + 960_250],
    [T0 + 420_001, T0 + 421_999],
    [T0 + 90_250, T0 + 90_750],
  ];

  it('the replay stores each (source, id) once', async () => {
    const r = await replayed;
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ events: events.length, duplicates: lines.length - events.length - refused.length, quarantined: refused.length });
  });

  it.each(windows)('--json figures of [%d, %d): totals, top merchants and every bucket of the charts', async (from, to) => {
    expect((await replayed).code).toBe(0);
    const r = await runPayops(['report', '--db', db, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const rep = lastJson<ReportData>(r.stdout);
    const bucketMs: number = rep.series.bucketMs;
    const want = facts(events, from, to, bucketMs);
    const t = rep.totals;
    expect(t.events).toBe(want.w.length);
    expect(t.byType).toEqual(want.byType);
    expect(Object.fromEntries(Object.entries(t.authorizedAmountByCurrency).map(([c, v]) => [c, BigInt(v as number)]))).toEqual(
      // Exact where the sum is a safe integer; a double's nearest value past it (the summary says "about").
      Object.fromEntries(Object.entries(want.amounts).map(([c, v]) => [c, v <= BigInt(Number.MAX_SAFE_INTEGER) ? v : BigInt(Number(v))])),
    );
    expect(t.declinesByCode).toEqual(want.codes);
    expect(t.riskDecisions).toEqual(want.decisions);
    expect(t.approvalRate).toBe(want.approvalRate);
    expect([t.payments, t.approvedPayments]).toEqual([want.payments, want.approvedPayments]);
    for (const m of rep.topMerchants) expect([m.events, m.declines]).toEqual(want.merchants.get(m.merchantId));
    const most = Math.max(0, ...[...want.merchants.values()].map(([n]) => n));
    expect(rep.topMerchants[0]?.events ?? 0).toBe(most);
    // The refused messages of the window: counted and said, none of them among the events.
    const quarantined = refused.filter((l) => l.t >= from && l.t < to).length;
    expect(rep.quarantined).toBe(quarantined);
    expect(rep.summary.some((l) => l.startsWith(`${quarantined} message${quarantined === 1 ? '' : 's'} arrived in the window and w`))).toBe(quarantined > 0);
    // Every bucket: events per type (the chart's rate times the bucket's seconds inside the window),
    // the decline rate per attempt, and the risk decisions.
    for (let i = 0; i < rep.series.throughput.length; i++) {
      const p = rep.series.throughput[i];
      const b = want.buckets.get(p.t) ?? { types: {}, decisions: {}, attempts: 0, declined: 0 };
      const seconds = (Math.min(to, p.t + bucketMs) - Math.max(from, p.t)) / 1000;
      const counts = Object.fromEntries(Object.entries(p.values as Record<string, number>).map(([k, v]) => [k, Math.round(v * seconds)]));
      expect(counts, `throughput at ${new Date(p.t).toISOString()}`).toEqual(b.types);
      expect(rep.series.declineRate[i].values, `decline rate at ${new Date(p.t).toISOString()}`).toEqual(b.attempts ? { declineRate: b.declined / b.attempts } : {});
      expect(rep.series.riskDecisions[i].values, `risk decisions at ${new Date(p.t).toISOString()}`).toEqual(b.decisions);
    }
    // Every event of the window is in exactly one bucket.
    expect([...want.buckets.keys()].every((k) => rep.series.throughput.some((p: { t: number }) => p.t === k))).toBe(true);
  });

  it('the CSV export holds each event of the window once, with its amount in its currency\'s decimals', async () => {
    expect((await replayed).code).toBe(0);
    const [from, to] = windows[3];
    const out = path.join(dir, 'window.csv');
    const r = await runPayops(['report', '--db', db, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = csvRows(fs.readFileSync(out, 'utf8'));
    const col = (name: string) => head.indexOf(name);
    const want = facts(events, from, to, 1000).w;
    const key = (source: string, id: string) => `${source} ${id}`;
    expect(rows.map((x) => key(x[col('source')], x[col('id')])).sort()).toEqual(want.map((e) => key(e.source, e.id)).sort());
    const byKey = new Map(want.map((e) => [key(e.source, e.id), e]));
    for (const x of rows) {
      const e = byKey.get(key(x[col('source')], x[col('id')]))!;
      expect(x[col('time')]).toBe(new Date(e.t).toISOString());
      expect(x[col('type')]).toBe(e.type);
      if (e.data.amount === undefined) continue;
      expect(x[col('amount_minor')]).toBe(String(e.data.amount));
      expect(x[col('amount')]).toBe(major(BigInt(e.data.amount as number), e.data.currency as string));
    }
  });

  it('the HTML report\'s events per second, for a quiet day and a busy hour, to three significant digits', async () => {
    expect((await replayed).code).toBe(0);
    // A day holding the traffic (~0.02 events a second), an hour of it (~0.8), and the windows
    // before them (none; an event or so).
    for (const [from, to] of [[T0 + SPAN + 200_000 - 86_400_000, T0 + SPAN + 200_000], [T0, T0 + 3_600_000]]) {
      const out = path.join(dir, `rate-${from}.html`);
      const r = await runPayops(['report', '--db', db, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const m = /<div class="k">Events \/ s<\/div><div class="v">([^<]*)<\/div><div class="d">before ([^<]*)<\/div>/.exec(fs.readFileSync(out, 'utf8'));
      expect(m).not.toBeNull();
      const rateOf = (a: number, b: number) => facts(events, a, b, 1000).w.length / ((b - a) / 1000);
      for (const [text, rate] of [[m![1], rateOf(from, to)], [m![2], rateOf(2 * from - to, from)]] as const) {
        if (rate === 0) expect(text).toBe('0.00');
        else expect(Math.abs(Number(text) - rate) / rate, `"${text}" for ${rate}`).toBeLessThanOrEqual(0.00501);
      }
    }
  });
});

describe('payops report on the PaySim demo capture at its own cardinality (3,247 merchants, 30 days)', () => {
  const seen = new Set<string>();
  const events: Line[] = [];
  for (const text of gunzipSync(fs.readFileSync(DEMO_CAPTURE)).toString('utf8').split('\n')) {
    if (!text.trim()) continue;
    const e = JSON.parse(text) as { source: string; id: string; type: string; time: string; data: Record<string, unknown> };
    if (seen.has(`${e.source} ${e.id}`)) continue;
    seen.add(`${e.source} ${e.id}`);
    events.push({ source: e.source, id: e.id, type: e.type, t: Date.parse(e.time), data: e.data });
  }
  const db = path.join(dir, 'paysim.db');
  const replayed = runPayops(['replay', DEMO_CAPTURE, '--db', db, '--json'], {}, 300_000);
  const first = Math.min(...events.map((e) => e.t));
  const busiest = (() => {
    const n = new Map<string, number>();
    for (const e of events) n.set(e.data.merchantId as string, (n.get(e.data.merchantId as string) ?? 0) + 1);
    return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  })();

  const cases: [string, number, number, string[], (e: Line) => boolean][] = [
    ['all of it', first, Math.max(...events.map((e) => e.t)) + 1, [], () => true],
    ['5.5 days from an instant in ms', first + 86_400_000 + 123, first + 6.5 * 86_400_000 + 456, [], () => true],
    [`the busiest merchant (${busiest}) over 12 days`, first + 3_600_000 - 1, first + 12 * 86_400_000 + 1, ['--merchant-id', busiest], (e) => e.data.merchantId === busiest],
    ['country IE, cash_out, over 9 days', first + 777, first + 9 * 86_400_000, ['--country', 'IE', '--method', 'cash_out'], (e) => e.data.country === 'IE' && e.data.method === 'cash_out'],
  ];

  it.each(cases)('%s: totals, payments and top merchants against the capture', async (_name, from, to, flags, match) => {
    const rep = await replayed;
    expect(rep.code, rep.stderr).toBe(0);
    const r = await runPayops(['report', '--db', db, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--json', '--quiet', ...flags], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    const t = lastJson<ReportData>(r.stdout);
    const want = facts(events, from, to, t.series.bucketMs, match);
    expect(t.totals.events).toBe(want.w.length);
    expect(t.totals.byType).toEqual(want.byType);
    expect(Object.fromEntries(Object.entries(t.totals.authorizedAmountByCurrency).map(([c, v]) => [c, BigInt(v)]))).toEqual(want.amounts);
    expect(t.totals.declinesByCode).toEqual(want.codes);
    expect(t.totals.riskDecisions).toEqual(want.decisions);
    expect(t.totals.approvalRate).toBe(want.approvalRate);
    expect([t.totals.payments, t.totals.approvedPayments]).toEqual([want.payments, want.approvedPayments]);
    const counts = [...want.merchants.values()].map(([n]) => n);
    const most = Math.max(...counts);
    expect(t.topMerchants.map((m) => [m.merchantId, m.events, m.declines])).toEqual(
      [...want.merchants].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([m, [n, d]]) => [m, n, d]),
    );
    expect(t.topMerchantsTied).toBe(counts.filter((n) => n === most).length);
  });

  it('a filtered CSV export holds exactly the matching events of the window', async () => {
    expect((await replayed).code).toBe(0);
    const [, from, to, flags, match] = cases[3];
    const out = path.join(dir, 'paysim.csv');
    const r = await runPayops(['report', '--db', db, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--out', out, '--quiet', ...flags], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = csvRows(fs.readFileSync(out, 'utf8'));
    const key = (source: string, id: string) => `${source} ${id}`;
    expect(rows.map((x) => key(x[head.indexOf('source')], x[head.indexOf('id')])).sort()).toEqual(facts(events, from, to, 1000, match).w.map((e) => key(e.source, e.id)).sort());
  });
});
