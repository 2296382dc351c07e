// Merchant retries in the simulator: after a soft decline (never a hard one, a risk block or
// card testing) some payments are tried again with the same paymentId, as attempt 2 and at
// most 3, a few seconds later, with the same dimensions; so approval per payment (a payment
// approved if any of its attempts was) is above approval per attempt, as in real traffic.
import { describe, expect, it } from 'vitest';
import { declineCodeInfo } from '../../../shared/declineCodes';
import type { CloudEventObject } from './cloudEvent';
import type { ScenarioName } from './scenarios';
import { createTrafficGenerator } from './trafficGenerator';

const START = Date.UTC(2026, 10, 23, 8, 0, 0);
const RATE = 100;
const DIMENSIONS = ['merchantId', 'amount', 'currency', 'method', 'country', 'cardBin', 'issuer', 'scheme', 'threeDS', 'acquirer', 'mcc'];

function take(scenario: ScenarioName, count: number, seed: number): CloudEventObject[] {
  const gen = createTrafficGenerator({ seed, scenario, startMs: START, rate: RATE });
  return Array.from({ length: count }, () => gen.next());
}

const decided = (e: CloudEventObject) => e.type === 'payment.authorized' || e.type === 'payment.declined';

/** The decided attempts of each payment, in the order they were sent. */
function attemptsByPayment(events: CloudEventObject[]): Map<string, CloudEventObject[]> {
  const byPayment = new Map<string, CloudEventObject[]>();
  for (const e of events.filter(decided)) {
    const list = byPayment.get(e.data.paymentId as string) ?? [];
    list.push(e);
    byPayment.set(e.data.paymentId as string, list);
  }
  return byPayment;
}

describe('simulated merchant retries', () => {
  const events = take('normal', 20_000, 42);
  const byPayment = attemptsByPayment(events);
  const retried = [...byPayment.values()].filter((attempts) => attempts.length > 1);

  it('retries only soft declines, as attempts 2 and 3 of the same paymentId with the same dimensions, seconds later', () => {
    expect(retried.length).toBeGreaterThan(30);
    expect(retried.some((attempts) => attempts.length === 3)).toBe(true);
    for (const attempts of retried) {
      expect(attempts.length).toBeLessThanOrEqual(3);
      attempts.forEach((e, i) => {
        expect(e.data.attempt).toBe(i + 1);
        expect(e.subject).toBe(e.data.paymentId);
        for (const dim of DIMENSIONS) expect(e.data[dim]).toEqual(attempts[0].data[dim]);
        if (i === 0) return;
        const before = attempts[i - 1];
        // Only a soft decline is retried; a risk block (59, suspected fraud) never is.
        expect(before.type).toBe('payment.declined');
        expect(declineCodeInfo(before.data.declineCode as string).kind).toBe('soft');
        expect(before.data.declineCode).not.toBe('59');
        // Later in the stream and in event time: 2-8 s at the merchant's retry delay.
        expect(events.indexOf(e)).toBeGreaterThan(events.indexOf(before));
        const gapMs = Date.parse(e.time) - Date.parse(before.time);
        expect(gapMs).toBeGreaterThanOrEqual(2_000);
        expect(gapMs).toBeLessThanOrEqual(8_100);
      });
    }
    // Hard declines and risk blocks were there to be retried, and never were.
    const lastAttempts = [...byPayment.values()].map((attempts) => attempts.at(-1)!);
    const hard = lastAttempts.filter((e) => e.type === 'payment.declined' && declineCodeInfo(e.data.declineCode as string).kind === 'hard');
    const blocked = lastAttempts.filter((e) => e.type === 'payment.declined' && e.data.declineCode === '59');
    expect(hard.length).toBeGreaterThan(5);
    expect(blocked.length).toBeGreaterThan(20);
    for (const e of [...hard, ...blocked]) expect(byPayment.get(e.data.paymentId as string)).toHaveLength(1);
    // Only the decided attempts repeat: a payment is initiated and scored once.
    const initiated = events.filter((e) => e.type === 'payment.initiated' || e.type === 'risk.scored');
    expect(initiated.every((e) => e.type !== 'payment.initiated' || e.data.attempt === 1)).toBe(true);
    expect(new Set(initiated.map((e) => `${e.type}/${e.subject}`)).size).toBe(initiated.length);
  });

  it('approval per payment is above approval per attempt by a plausible margin', () => {
    const attempts = events.filter(decided);
    const perAttempt = attempts.filter((e) => e.type === 'payment.authorized').length / attempts.length;
    const payments = [...byPayment.values()];
    const perPayment = payments.filter((list) => list.some((e) => e.type === 'payment.authorized')).length / payments.length;
    // A retry seconds later is approved far less often than a first attempt.
    const retries = attempts.filter((e) => (e.data.attempt as number) > 1);
    const retryApproval = retries.filter((e) => e.type === 'payment.authorized').length / retries.length;
    console.log(
      `normal, seed 42, 20,000 events: ${payments.length} payments, ${attempts.length} decided attempts (${retries.length} retries, ` +
        `${(100 * retryApproval).toFixed(1)} % approved); approval per attempt ${(100 * perAttempt).toFixed(2)} %, per payment ${(100 * perPayment).toFixed(2)} %`,
    );
    expect(retryApproval).toBeLessThan(0.4);
    expect(perPayment - perAttempt).toBeGreaterThan(0.01);
    expect(perPayment - perAttempt).toBeLessThan(0.05);
  });

  it('gives the same retries for the same seed', () => {
    const again = take('normal', 20_000, 42);
    expect(JSON.stringify(again)).toBe(JSON.stringify(events));
  });

  it('during an issuer outage the retries of the issuer mostly fail again with 91', () => {
    const outage = take('issuer-outage', 30_000, 5).filter((e) => {
      const t = Date.parse(e.time) - START;
      return t >= 25_000 && t < 140_000 && e.data.issuer === 'tamarind-card' && decided(e) && (e.data.attempt as number) > 1;
    });
    expect(outage.length).toBeGreaterThan(20);
    const declined91 = outage.filter((e) => e.type === 'payment.declined' && e.data.declineCode === '91').length;
    expect(declined91 / outage.length).toBeGreaterThan(0.8);
  });

  it('never retries card testing or a fraud burst', () => {
    for (const scenario of ['card-testing', 'fraud-burst'] as const) {
      const gen = createTrafficGenerator({ seed: 8, scenario, startMs: START, rate: RATE });
      const all = Array.from({ length: 20_000 }, () => gen.next());
      // The attacks' small attempts (100-500 minor units) on the targeted merchant.
      const attack = all.filter((e) => decided(e) && e.data.merchantId === gen.fraudTargetMerchantId && (e.data.amount as number) <= 500);
      expect(attack.length).toBeGreaterThan(200);
      expect(attack.every((e) => e.data.attempt === 1)).toBe(true);
    }
  });
});
