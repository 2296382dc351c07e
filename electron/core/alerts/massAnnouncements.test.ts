// Many alerts at once: an outage that fires a rule for every merchant in one tick, and a silence
// that takes all of them. Every firing alert and every silence change must reach the router:
// the evaluator's queue bound (1000) dropped the oldest of one tick's burst, so a page listed
// 1000 of 1040 alerts, and 40 silenced alerts kept being repeated to the on-call.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { AlertingSession } from './alertingSession';
import { AlertEvaluator } from './alertEvaluator';
import { ev, rule, sec } from '../../../test/support/alertTestKit';
import type { AlertInputEvent } from './eventCounters';

const MERCHANTS = 520;
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const dir = tempDir('payops-mass-announcements-');
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function outage(options: { maxPendingNotifications?: number; merchants?: number; until?: number; recoverFrom?: number } = {}): AlertEvaluator {
  const rules = [
    rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '2s', for: 0, keepFiringFor: 0, groupBy: 'merchant' }),
    rule({ name: 'approval', metric: 'approval_rate', condition: { below: '90%' }, window: '2s', for: 0, keepFiringFor: 0, groupBy: 'merchant' }),
  ];
  const e = new AlertEvaluator(rules, null, { allowedLatenessMs: 0, evaluationIntervalMs: 1000, maxPendingNotifications: options.maxPendingNotifications });
  const events: AlertInputEvent[] = [];
  for (let s = 0; s < (options.until ?? 3); s++) for (let m = 0; m < (options.merchants ?? MERCHANTS); m++) events.push(ev(s >= (options.recoverFrom ?? Infinity) ? 'payment.authorized' : 'payment.declined', sec(s) + m, { merchantId: `m_${m}` }));
  e.observeEvents(events);
  return e;
}

describe('mass announcements', () => {
  it('every alert that fires in one tick is announced (1,040, not the last 1,000)', () => {
    const fired = outage().advanceTo(sec(3)).filter((n) => n.kind === 'firing');
    expect(new Set(fired.map((n) => n.key)).size).toBe(2 * MERCHANTS);
  });

  it('a silence taking every one of them tells the router of each, and so does its expiry', () => {
    const e = outage();
    e.advanceTo(sec(3));
    const s = e.silence([{ label: 'severity', op: '=', value: 'warning' }], sec(3600), 'outage known', 'test');
    const silenced = e.takeSilenceChanges();
    expect(silenced.filter((c) => c.kind === 'silenced').length).toBe(2 * MERCHANTS);
    e.expireSilence(s.id);
    expect(e.takeSilenceChanges().filter((c) => c.kind === 'unsilenced').length).toBe(2 * MERCHANTS);
  });

  it('within one catch-up of many ticks the queue is still bounded: earlier ticks make room for a later burst', () => {
    const e = outage({ maxPendingNotifications: 10, merchants: 20, until: 10, recoverFrom: 3 });
    // One call runs every tick: 40 alerts fire, then payments are approved again and all 40 resolve.
    const queued = e.advanceTo(sec(10));
    expect(queued.map((n) => n.kind)).toEqual(Array(40).fill('resolved'));
    expect(e.stats().notificationsDropped).toBe(40);
  });

  // Before: the evaluator counted what its full queue dropped, and nothing passed the count on:
  // the session (and so the snapshot, the notification log, the end-of-run line) said nothing.
  it('a session says how many notifications its evaluators dropped, also after a rules save replaced the evaluator', () => {
    const store: Store = openStore(path.join(dir, 'dropped.db'));
    stores.push(store);
    const rules = [
      rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '2s', for: 0, keepFiringFor: 0, groupBy: 'merchant' }),
      rule({ name: 'approval', metric: 'approval_rate', condition: { below: '90%' }, window: '2s', for: 0, keepFiringFor: 0, groupBy: 'merchant' }),
    ];
    const session = new AlertingSession({ store, rules, replay: true, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined, maxPendingNotifications: 10 });
    // 20 merchants declined for 15 s, then approved: in one batch (ticks every 10 s), 40 alerts fire and resolve.
    const items: IncomingMessage[] = [];
    for (let s = 0; s < 60; s++) {
      for (let m = 0; m < 20; m++) {
        const t = T0 + s * 1000 + m;
        const id = `d${s}-${m}`;
        const event = { source: 'psp', id, type: s < 15 ? 'payment.declined' : 'payment.authorized', category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: `m_${m}`, amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
        items.push({ raw: { body: new Uint8Array(), arrivalMs: t }, result: { ok: true, event } });
      }
    }
    session.observeCommitted(store.ingest.commit(items), T0 + 60_000);
    expect(session.notificationsDropped).toBe(40);
    session.reload(rules);
    expect(session.notificationsDropped).toBeGreaterThanOrEqual(40);
    session.stop();
  });
});
