// The rule editor's backtest (rules.backtest) runs a rules text over the stored events. A
// burn-rate (SLO) rule in that text pages live and in `payops backtest`; the editor's backtest
// must list what it would have paged too, not drop it without a word.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { decodeMessage } from '../../../shared/events/decode';
import { parseApiRequest } from '../../../shared/api';
import { openStore, type Store } from '../store/store';
import type { IncomingMessage } from '../store/eventWriter';
import { tempDir } from '../../../test/support/tempDir';
import { BacktestService } from './backtestService';

const dir = tempDir('payops-backtest-service-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);
const MINUTE = 60_000;
const opened: Store[] = [];
afterAll(() => opened.forEach((s) => s.close()));

// 90 % approved is the objective (a 10 % budget); 2x over 5 min and 1 min pages.
const rulesText = (objective: string) => `
rules:
  - { name: declines, description: Declines spike., severity: critical, metric: decline_rate, condition: { above: 90% }, window: 10s, minVolume: 10 }
burnRates:
  - name: approval-slo
    objective: ${objective}
    groupBy: country
    windows:
      - { severity: critical, factor: 2, long: 5m, short: 1m }
`;

/** 9 minutes of 5 payments a second in DE; from minute 2 to minute 6 half of them declined. */
function storeBurningTraffic(): Store {
  const store = openStore(path.join(dir, `burn-${Math.random().toString(36).slice(2)}.db`));
  opened.push(store);
  const batch: IncomingMessage[] = [];
  for (let i = 0; i < 9 * 60 * 5; i++) {
    const s = i / 5;
    const declined = s >= 120 && s < 360 && i % 2 === 0;
    const e = { ...paymentEvent(declined ? 'payment.declined' : 'payment.authorized', {}, { country: 'DE' }), time: new Date(T0 + i * 200).toISOString() };
    const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: T0 + i * 200 };
    batch.push({ raw, result: decodeMessage(raw) });
  }
  store.ingest.commit(batch);
  return store;
}

async function backtest(store: Store, text: string) {
  const args = parseApiRequest('rules.backtest', { text, format: 'yaml', from: T0, to: T0 + 9 * MINUTE }).args;
  return new BacktestService(store).run(args as never);
}

describe('the rule editor backtest with burn-rate rules', () => {
  it('lists the burn-rate alert with when it fired and resolved, and its pages', async () => {
    const store = storeBurningTraffic();
    const r = await backtest(store, rulesText('90%'));
    expect(r.ok).toBe(true);
    // Half declined from minute 2 burns 5x the budget: the 5-minute window reaches 2x at minute
    // 4; declines stop at minute 6 and the 1-minute window is clean at minute 7.
    const slo = r.alerts.filter((a) => a.rule === 'approval-slo');
    expect(slo.map((a) => [a.severity, a.labels.country, a.firedAt, a.resolvedAt])).toEqual([['critical', 'DE', T0 + 4 * MINUTE, T0 + 7 * MINUTE]]);
    expect(r.firedCount).toBe(r.alerts.length);
    expect(r.notifications.filter((n) => n.rule === 'approval-slo').map((n) => [n.kind, n.at])).toEqual([
      ['firing', T0 + 4 * MINUTE],
      ['resolved', T0 + 7 * MINUTE],
    ]);
  });

  it('lists nothing for an objective the traffic keeps (50 % approved)', async () => {
    const store = storeBurningTraffic();
    const r = await backtest(store, rulesText('50%'));
    expect(r.ok).toBe(true);
    expect(r.alerts.filter((a) => a.rule === 'approval-slo')).toEqual([]);
    expect(r.notifications.filter((n) => n.rule === 'approval-slo')).toEqual([]);
  });
});

describe('the rule editor backtest with the silences stored in the database', () => {
  const declines = `
rules:
  - { name: declines, description: Declines spike., severity: critical, metric: decline_rate, condition: { above: 40% }, window: 10s, minVolume: 10 }
`;
  const silenceDE = (store: Store, createdAt: number, endsAt: number, expiredAt: number | null = null) =>
    store.silences.save({ id: `s-${createdAt}`, matchers: [{ label: 'alertname', op: '=', value: 'declines' }], createdAt, endsAt, expiredAt, comment: 'known', createdBy: 'alice' });
  const announced = async (store: Store) => (await backtest(store, declines)).notifications.filter((n) => n.rule === 'declines').map((n) => n.kind);

  it('an alert a silence held when it fired is announced to no one, though it fired', async () => {
    const store = storeBurningTraffic();
    silenceDE(store, T0, T0 + 60 * MINUTE);
    const r = await backtest(store, declines);
    expect(r.alerts.filter((a) => a.rule === 'declines').map((a) => a.silenced)).toEqual([true]);
    expect(await announced(store)).toEqual([]);
  });

  it('a silence holds only while it was in force: made after the incident, or ended early before it, it changes nothing', async () => {
    const after = storeBurningTraffic();
    silenceDE(after, T0 + 8 * MINUTE, T0 + 60 * MINUTE);
    expect(await announced(after)).toEqual(['firing', 'resolved']);
    const endedEarly = storeBurningTraffic();
    silenceDE(endedEarly, T0, T0 + 60 * MINUTE, T0 + MINUTE);
    expect(await announced(endedEarly)).toEqual(['firing', 'resolved']);
  });
});
