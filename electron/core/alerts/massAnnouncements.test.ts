// Many alerts at once: an outage that fires a rule for every merchant in one tick, and a silence
// that takes all of them. Every firing alert and every silence change must reach the router:
// the evaluator's queue bound (1000) dropped the oldest of one tick's burst, so a page listed
// 1000 of 1040 alerts, and 40 silenced alerts kept being repeated to the on-call.
import { describe, expect, it } from 'vitest';
import { AlertEvaluator } from './alertEvaluator';
import { ev, rule, sec } from '../../../test/support/alertTestKit';
import type { AlertInputEvent } from './eventCounters';

const MERCHANTS = 520;

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
});
