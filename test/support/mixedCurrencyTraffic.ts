// Test support: payment and risk events in zero-, two- and three-decimal currencies, some of
// them late (event time 20 minutes before arrival) and stored out of order, and what the stored
// figures must say about them, computed from the events alone (BigInt sums, no rollup, no
// shared/currencies.ts: the exponents are written out here so a wrong table cannot agree with itself).
import type { Database } from 'better-sqlite3';
import { decodeMessage } from '../../shared/events/decode';
import { EventWriter, type BatchOutcome, type IncomingMessage } from '../../electron/core/store/eventWriter';
import { seeded } from './dashboardTestKit';

/** ISO 4217 minor units of the currencies used here. */
export const EXPONENT: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, KWD: 3, BHD: 3, JOD: 3, EUR: 2, USD: 2 };
const CURRENCIES = Object.keys(EXPONENT);

export type AttemptType = 'payment.authorized' | 'payment.declined' | 'payment.failed';

export interface SentEvent {
  id: string;
  type: AttemptType | 'payment.captured' | 'payment.refunded' | 'risk.scored';
  timeMs: number;
  arrivalMs: number;
  paymentId: string;
  currency: string;
  amount: number;
}

/** Amounts that lose a digit when a three-decimal currency is read as two (or JPY as two). */
const AWKWARD = [1, 5, 9, 10, 99, 101, 999, 1001, 1005, 12_345, 1_000_001, 987_654_321];

/**
 * `n` payments over [startMs, startMs + spanMs) with about a third retried (same paymentId),
 * captures, refunds and risk scorings; `lateShare` of the events arrive 20 minutes after their
 * event time (the others within a second).
 */
export function mixedTraffic(n: number, startMs: number, spanMs: number, seed = 11, lateShare = 0.2): SentEvent[] {
  const rnd = seeded(seed);
  const out: SentEvent[] = [];
  let k = 0;
  const push = (e: Omit<SentEvent, 'id' | 'arrivalMs'>) => {
    const late = rnd() < lateShare;
    out.push({ ...e, id: `mix-${seed}-${k++}`, arrivalMs: e.timeMs + (late ? 20 * 60_000 : Math.floor(rnd() * 1000)) });
  };
  for (let i = 0; i < n; i++) {
    const timeMs = startMs + Math.floor(rnd() * spanMs);
    const currency = CURRENCIES[Math.floor(rnd() * CURRENCIES.length)];
    const amount = rnd() < 0.3 ? AWKWARD[Math.floor(rnd() * AWKWARD.length)] : Math.floor(rnd() * 5_000_000);
    const paymentId = `pay-${seed}-${i}`;
    const r = rnd();
    const first: AttemptType = r < 0.6 ? 'payment.authorized' : r < 0.9 ? 'payment.declined' : 'payment.failed';
    push({ type: first, timeMs, paymentId, currency, amount });
    if (first !== 'payment.authorized' && rnd() < 0.5) {
      // A retry 5-90 s later: may cross a minute, and may be stored before the first attempt.
      push({ type: rnd() < 0.6 ? 'payment.authorized' : 'payment.declined', timeMs: timeMs + 5000 + Math.floor(rnd() * 85_000), paymentId, currency, amount });
    }
    if (first === 'payment.authorized' && rnd() < 0.5) push({ type: 'payment.captured', timeMs: timeMs + 30_000, paymentId, currency, amount });
    if (rnd() < 0.05) push({ type: 'payment.refunded', timeMs: timeMs + 60_000, paymentId, currency, amount: Math.floor(amount / 2) });
    if (rnd() < 0.5) push({ type: 'risk.scored', timeMs, paymentId, currency, amount });
  }
  return out;
}

export function cloudEventOf(e: SentEvent): Record<string, unknown> {
  const time = new Date(e.timeMs).toISOString();
  if (e.type === 'risk.scored') {
    return { specversion: '1.0', id: e.id, source: 'risk/engine', type: e.type, time, data: { paymentId: e.paymentId, merchantId: 'm_1', score: 20, decision: 'approve' } };
  }
  return {
    specversion: '1.0', id: e.id, source: 'psp/authorizer', type: e.type, time,
    data: { paymentId: e.paymentId, merchantId: 'm_1', amount: e.amount, currency: e.currency, ...(e.type === 'payment.declined' ? { declineCode: '05' } : {}) },
  };
}

/**
 * Stores the events through the real decoder and writer in arrival order (so late events come
 * after newer ones), in batches of `batch`, each sent twice when `duplicates`; returns each
 * batch's outcome (what the engine hands live metrics).
 */
export function storeByArrival(db: Database, events: readonly SentEvent[], batch = 97): BatchOutcome[] {
  const writer = new EventWriter(db);
  const byArrival = [...events].sort((a, b) => a.arrivalMs - b.arrivalMs || a.id.localeCompare(b.id));
  const outcomes: BatchOutcome[] = [];
  for (let i = 0; i < byArrival.length; i += batch) {
    const items: IncomingMessage[] = byArrival.slice(i, i + batch).map((e) => {
      const raw = { body: Buffer.from(JSON.stringify(cloudEventOf(e))), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: e.arrivalMs };
      return { raw, result: decodeMessage(raw) };
    });
    outcomes.push(writer.commit(items));
  }
  return outcomes;
}

/** Minor units as major units with the currency's decimals and thousands commas, by string arithmetic. */
export function majorText(minor: bigint, currency: string): string {
  const digits = EXPONENT[currency];
  const s = minor.toString().padStart(digits + 1, '0');
  const whole = s.slice(0, s.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  return digits === 0 ? whole : `${whole}.${s.slice(s.length - digits)}`;
}

/** What the events say about windows of event time (indexed once: tests ask about hundreds of steps). */
export class TrafficFacts {
  private readonly byTime: readonly SentEvent[];
  private readonly times: number[];
  private readonly paymentStarts: { start: number; approved: boolean }[];

  constructor(events: readonly SentEvent[]) {
    this.byTime = [...events].sort((a, b) => a.timeMs - b.timeMs);
    this.times = this.byTime.map((e) => e.timeMs);
    const payments = new Map<string, { start: number; approved: boolean }>();
    for (const e of events) {
      if (e.type !== 'payment.authorized' && e.type !== 'payment.declined' && e.type !== 'payment.failed') continue;
      const p = payments.get(e.paymentId) ?? { start: e.timeMs, approved: false };
      p.start = Math.min(p.start, e.timeMs);
      p.approved ||= e.type === 'payment.authorized';
      payments.set(e.paymentId, p);
    }
    this.paymentStarts = [...payments.values()];
  }

  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The figures of [fromMs, toMs). */
  of(fromMs = -Infinity, toMs = Infinity) {
    const inWindow = this.byTime.slice(this.lowerBound(fromMs), this.lowerBound(toMs));
    const byType: Record<string, number> = {};
    const authorizedMinor: Record<string, bigint> = {};
    const declinedMinor: Record<string, bigint> = {};
    for (const e of inWindow) {
      byType[e.type] = (byType[e.type] ?? 0) + 1;
      if (e.type === 'payment.authorized') authorizedMinor[e.currency] = (authorizedMinor[e.currency] ?? 0n) + BigInt(e.amount);
      if (e.type === 'payment.declined') declinedMinor[e.currency] = (declinedMinor[e.currency] ?? 0n) + BigInt(e.amount);
    }
    const started = this.paymentStarts.filter((p) => p.start >= fromMs && p.start < toMs);
    return {
      events: inWindow.length,
      byType,
      authorizedMinor,
      declinedMinor,
      authorized: byType['payment.authorized'] ?? 0,
      declined: byType['payment.declined'] ?? 0,
      failed: byType['payment.failed'] ?? 0,
      payments: started.length,
      approvedPayments: started.filter((p) => p.approved).length,
      firstMs: inWindow.length ? inWindow[0].timeMs : null,
      lastMs: inWindow.length ? inWindow[inWindow.length - 1].timeMs : null,
    };
  }
}
