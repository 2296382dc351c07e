// Test support: payment and risk events at chosen times, and what the dashboard must say
// about them computed straight from the events (not from any rollup).
import { minorPerMajor } from '../../shared/currencies';

export interface KitEvent {
  type: 'payment.authorized' | 'payment.declined' | 'payment.failed' | 'risk.scored';
  timeMs: number;
  amount?: number;
  currency?: string;
  latencyMs?: number;
  declineCode?: string;
  decision?: 'approve' | 'review' | 'block';
  /** Retries share their payment's id (and carry attempt > 1); without one, each event is its own payment. */
  paymentId?: string;
  attempt?: number;
}

let counter = 0;

/** The CloudEvent of a kit event (unique id per call). */
export function cloudEvent(e: KitEvent): Record<string, unknown> {
  counter += 1;
  const id = `dash-${process.pid}-${counter}`;
  const time = new Date(e.timeMs).toISOString();
  if (e.type === 'risk.scored') {
    return { specversion: '1.0', id, source: 'risk/engine', type: e.type, time, data: { paymentId: `pay_${counter}`, merchantId: 'm_1', score: 10, decision: e.decision ?? 'approve' } };
  }
  const data: Record<string, unknown> = { paymentId: e.paymentId ?? `pay_${counter}`, merchantId: 'm_1', amount: e.amount ?? 1000, currency: e.currency ?? 'EUR' };
  if (e.attempt !== undefined) data.attempt = e.attempt;
  if (e.latencyMs !== undefined) data.latencyMs = e.latencyMs;
  if (e.declineCode !== undefined) data.declineCode = e.declineCode;
  return { specversion: '1.0', id, source: 'psp/authorizer', type: e.type, time, datacontenttype: 'application/json', data };
}

/** A deterministic pseudo-random sequence (tests must give the same events every run). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Payments and risk decisions spread over [fromMs, toMs): `perMinute` payments a minute. About
 * 40 % of soft declines (05, 51, 91) are retried 5-40 s later under the same paymentId, half of
 * the retries approved (drawn from a stream of their own, so the first attempts stay as they were).
 */
export function trafficBetween(fromMs: number, toMs: number, perMinute: number, seed = 1): KitEvent[] {
  const rnd = seeded(seed);
  const retryRnd = seeded(seed ^ 0x5bd1e995);
  const out: KitEvent[] = [];
  const currencies = ['EUR', 'JPY', 'KWD'];
  const codes = ['05', '51', '14', '91'];
  const decisions = ['approve', 'review', 'block'] as const;
  for (let m = fromMs; m < toMs; m += 60_000) {
    for (let i = 0; i < perMinute; i++) {
      const timeMs = m + Math.floor(rnd() * 60_000);
      const r = rnd();
      const currency = currencies[Math.floor(rnd() * currencies.length)];
      const latencyMs = Math.round(20 + rnd() * rnd() * 2000);
      const amount = 100 + Math.floor(rnd() * 100_000);
      const paymentId = `pay_${seed}_${m}_${i}`;
      if (r < 0.8) out.push({ type: 'payment.authorized', timeMs, currency, amount, latencyMs, paymentId });
      else if (r < 0.95) {
        const declineCode = codes[Math.floor(rnd() * codes.length)];
        out.push({ type: 'payment.declined', timeMs, currency, amount, latencyMs, declineCode, paymentId, attempt: 1 });
        const retryAt = timeMs + 5000 + Math.floor(retryRnd() * 35_000);
        if (declineCode !== '14' && retryRnd() < 0.4 && retryAt < toMs) {
          const retry = { timeMs: retryAt, currency, amount, latencyMs, paymentId, attempt: 2 };
          out.push(retryRnd() < 0.5 ? { ...retry, type: 'payment.authorized' } : { ...retry, type: 'payment.declined', declineCode });
        }
      } else out.push({ type: 'payment.failed', timeMs, currency, amount, paymentId });
      out.push({ type: 'risk.scored', timeMs, decision: decisions[Math.floor(rnd() * decisions.length)] });
    }
  }
  return out;
}

/** What the stored events say about [fromMs, toMs): the figures every chart must show. */
export function expectedFigures(events: readonly KitEvent[], fromMs: number, toMs: number) {
  const inWindow = events.filter((e) => e.timeMs >= fromMs && e.timeMs < toMs);
  const authorized = inWindow.filter((e) => e.type === 'payment.authorized');
  const declined = inWindow.filter((e) => e.type === 'payment.declined');
  const latencies = [...authorized, ...declined].map((e) => e.latencyMs).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const quantile = (q: number) => (latencies.length ? latencies[Math.max(1, Math.ceil(q * latencies.length)) - 1] : null);
  const majorBy = (list: KitEvent[]) => {
    const out: Record<string, number> = {};
    for (const e of list) out[e.currency!] = (out[e.currency!] ?? 0) + e.amount! / minorPerMajor(e.currency!);
    return out;
  };
  const codes: Record<string, number> = {};
  for (const e of declined) codes[e.declineCode!] = (codes[e.declineCode!] ?? 0) + 1;
  const decisions: Record<string, number> = {};
  for (const e of inWindow) if (e.type === 'risk.scored') decisions[e.decision!] = (decisions[e.decision!] ?? 0) + 1;
  // Per payment: the attempts (authorized, declined, failed) of one paymentId, in the window of the first, approved if any was.
  const payments = new Map<string, { start: number; approved: boolean }>();
  events.forEach((e, i) => {
    if (e.type !== 'payment.authorized' && e.type !== 'payment.declined' && e.type !== 'payment.failed') return;
    const id = e.paymentId ?? `event-${i}`;
    const p = payments.get(id) ?? { start: e.timeMs, approved: false };
    p.start = Math.min(p.start, e.timeMs);
    p.approved ||= e.type === 'payment.authorized';
    payments.set(id, p);
  });
  const started = [...payments.values()].filter((p) => p.start >= fromMs && p.start < toMs);
  const approvedPayments = started.filter((p) => p.approved).length;
  return {
    payments: started.length,
    approvedPayments,
    paymentApprovalRate: approvedPayments / Math.max(1, started.length),
    authorized: authorized.length,
    declined: declined.length,
    failed: inWindow.filter((e) => e.type === 'payment.failed').length,
    // Per attempt: authorized + declined + failed events.
    approvalRate: authorized.length / Math.max(1, authorized.length + declined.length + inWindow.filter((e) => e.type === 'payment.failed').length),
    latencyP50: quantile(0.5),
    latencyP95: quantile(0.95),
    latencyP99: quantile(0.99),
    authorizedMajor: majorBy(authorized),
    declinedMajor: majorBy(declined),
    declineCodes: codes,
    decisions,
  };
}
