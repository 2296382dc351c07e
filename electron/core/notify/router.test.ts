import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { DEFAULT_ROUTING, validateRouting, type RoutingConfig } from '../../../shared/notificationConfig';
import { NotificationRouter, type RouteResult } from './router';

// Event time: 2026-11-23 (a Monday) 06:00:00 UTC.
const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;

function config(extra: Record<string, unknown>): RoutingConfig {
  const v = validateRouting({
    contactPoints: [
      { name: 'oncall', type: 'webhook', url: 'http://127.0.0.1:9/hook' },
      { name: 'chat', type: 'slack', url: 'http://127.0.0.1:9/chat' },
    ],
    defaultPolicy: { contactPoint: 'chat', groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
    ...extra,
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
}

function note(kind: 'firing' | 'resolved', rule: string, s: number, labels: Record<string, string> = {}, severity: 'critical' | 'warning' = 'critical'): AlertNotification {
  return { kind, rule, severity, labels, value: null, summary: `${kind} ${rule}`, at: at(s) };
}

/** Dispatches as "second contactPoint status [merchant,...]" for readable expectations. */
function sent(results: RouteResult[]): string[] {
  return results.flatMap((r) =>
    r.dispatches.map((d) => `${(d.at - T0) / 1000} ${d.contactPoint.name} ${d.status} [${d.alerts.map((a) => `${a.labels.merchant ?? a.rule}:${a.status}`).join(',')}]`),
  );
}

describe('NotificationRouter (controlled event-time clock)', () => {
  it('groups two merchants of one rule into one message after groupWait, then resolves them together', () => {
    const r = new NotificationRouter(config({}));
    const out = [
      r.observe(note('firing', 'declines', 0, { merchant: 'm_1' })),
      r.observe(note('firing', 'declines', 10, { merchant: 'm_2' })),
      r.advanceTo(at(29)),
    ];
    expect(sent(out)).toEqual([]);
    out.push(r.advanceTo(at(30)));
    expect(sent(out)).toEqual(['30 chat firing [m_1:firing,m_2:firing]']);
    out.push(r.observe(note('resolved', 'declines', 100, { merchant: 'm_1' })), r.observe(note('resolved', 'declines', 110, { merchant: 'm_2' })));
    out.push(r.advanceTo(at(329)));
    expect(sent(out)).toHaveLength(1); // the next flush is groupInterval after the first
    out.push(r.advanceTo(at(330)));
    expect(sent(out)[1]).toBe('330 chat resolved [m_1:resolved,m_2:resolved]');
    expect(r.groupCount).toBe(0);
  });

  it('live, where the clock runs ahead of alert times: groupWait counts from when the group reached the router', () => {
    // The evaluator's ticks trail the wall clock by its lateness allowance (3 s by default):
    // m_1 crosses the threshold at tick 0, m_2 one tick later, each seen 3 s after its tick.
    const r = new NotificationRouter(config({ defaultPolicy: { contactPoint: 'chat', groupBy: ['alertname'], groupWait: '2s', groupInterval: '1s', repeatInterval: '1h' } }));
    const out = [r.advanceTo(at(3)), r.observe(note('firing', 'declines', 0, { merchant: 'm_1' })), r.advanceTo(at(4))];
    out.push(r.observe(note('firing', 'declines', 1, { merchant: 'm_2' })));
    expect(sent(out)).toEqual([]);
    out.push(r.advanceTo(at(5)));
    expect(sent(out)).toEqual(['5 chat firing [m_1:firing,m_2:firing]']);
  });

  it('an alert joining a sent group waits for the groupInterval flush; an unchanged group repeats after repeatInterval', () => {
    const r = new NotificationRouter(config({}));
    const out = [r.observe(note('firing', 'declines', 0, { merchant: 'm_1' })), r.advanceTo(at(60))];
    out.push(r.observe(note('firing', 'declines', 60, { merchant: 'm_3' })));
    out.push(r.advanceTo(at(3600 + 30)));
    // sent at 30; m_3 at the flush 5 min later (330); unchanged since, repeated once an hour has passed since the last
    // message, at the first flush on or after it (330 + 12 * 300 = 3930) - not within this run
    expect(sent(out)).toEqual(['30 chat firing [m_1:firing]', '330 chat firing [m_1:firing,m_3:firing]']);
    out.push(r.advanceTo(at(3930)));
    expect(sent(out)[2]).toBe('3930 chat firing [m_1:firing,m_3:firing]');
  });

  it('takes the first matching policy, and also the next ones with continue', () => {
    const policies = (cont: boolean) => [
      { contactPoint: 'oncall', matchers: ['severity=critical'], groupWait: 0, continue: cont },
      { contactPoint: 'chat', matchers: ['merchant=~"m_1.*"'], groupWait: 0 },
    ];
    const first = new NotificationRouter(config({ policies: policies(false) }));
    expect(sent([first.observe(note('firing', 'declines', 0, { merchant: 'm_12' }))])).toEqual(['0 oncall firing [m_12:firing]']);
    const both = new NotificationRouter(config({ policies: policies(true) }));
    expect(sent([both.observe(note('firing', 'declines', 0, { merchant: 'm_12' }))])).toEqual(['0 oncall firing [m_12:firing]', '0 chat firing [m_12:firing]']);
    // neither matches (warning, other merchant): the default policy
    expect(sent([both.observe(note('firing', 'slow', 0, { merchant: 'm_2' }, 'warning')), both.advanceTo(at(30))])).toEqual(['30 chat firing [m_2:firing]']);
  });

  it('a mute timing holds messages back (reported as muted once) and what still fires goes out after it', () => {
    // 06:00-06:10 UTC on weekdays; 2026-11-23 is a Monday.
    const r = new NotificationRouter(
      config({
        muteTimings: [{ name: 'settlement', timeIntervals: [{ times: [{ start: '06:00', end: '06:10' }], weekdays: ['monday:friday'] }] }],
        policies: [{ contactPoint: 'oncall', groupWait: '30s', groupInterval: '5m', muteTimings: ['settlement'] }],
      }),
    );
    const out = [r.observe(note('firing', 'declines', 0, { merchant: 'm_1' })), r.advanceTo(at(599))];
    expect(sent(out)).toEqual([]);
    expect(out.flatMap((x) => x.suppressions.map((s) => `${(s.at - T0) / 1000} ${s.reason} ${s.alert.labels.merchant}`))).toEqual(['30 muted m_1']);
    out.push(r.advanceTo(at(630)));
    expect(sent(out)).toEqual(['630 oncall firing [m_1:firing]']);
  });

  it('a firing source alert inhibits matching targets with equal labels, shown as inhibited; others still go out', () => {
    const r = new NotificationRouter(
      config({
        inhibitRules: [{ sourceMatchers: ['alertname=traffic-stopped'], targetMatchers: ['severity=~"critical|warning"'], equal: ['country'] }],
        defaultPolicy: { contactPoint: 'oncall', groupBy: ['...'], groupWait: 0, groupInterval: '1m' },
      }),
    );
    const out = [
      r.observe(note('firing', 'traffic-stopped', 0, { country: 'DE' })),
      r.observe(note('firing', 'declines', 5, { country: 'DE', merchant: 'm_1' })),
      r.observe(note('firing', 'declines', 6, { country: 'FR', merchant: 'm_2' })),
    ];
    expect(sent(out)).toEqual(['0 oncall firing [traffic-stopped:firing]', '6 oncall firing [m_2:firing]']);
    expect(out.flatMap((x) => x.suppressions.map((s) => `${s.reason} ${s.alert.labels.merchant}`))).toEqual(['inhibited m_1']);
    // the source resolves: the target is no longer inhibited and goes out at its group's next flush
    out.push(r.observe(note('resolved', 'traffic-stopped', 30, { country: 'DE' })), r.advanceTo(at(65)));
    expect(sent(out).slice(2)).toEqual(['60 oncall resolved [traffic-stopped:resolved]', '65 oncall firing [m_1:firing]']);
  });

  it('alerts matching both sides of an inhibit rule do not inhibit each other (Alertmanager: a source that is also a target is no source for them)', () => {
    // "While a merchant has a critical alert, hold back its other alerts": two critical alerts
    // on one merchant each match the source and the target. Were each taken as the other's
    // source, neither would ever page. Alertmanager excludes such two-sided sources.
    const r = new NotificationRouter(
      config({
        inhibitRules: [{ sourceMatchers: ['severity=critical'], targetMatchers: ['severity=~"critical|warning"'], equal: ['merchant'] }],
        defaultPolicy: { contactPoint: 'oncall', groupBy: ['...'], groupWait: 0, groupInterval: '1m' },
      }),
    );
    const out = [
      r.observe(note('firing', 'declines', 0, { merchant: 'm_1' })),
      r.observe(note('firing', 'fraud-burst', 0, { merchant: 'm_1' })),
      r.observe(note('firing', 'slow-queue', 1, { merchant: 'm_1' }, 'warning')),
    ];
    expect(sent(out)).toEqual(['0 oncall firing [m_1:firing]', '0 oncall firing [m_1:firing]']);
    expect(out.flatMap((x) => x.suppressions.map((s) => `${s.reason} ${s.alert.rule}`))).toEqual(['inhibited slow-queue']);
  });

  it('without routing in the rules file every notification goes to the desktop at once, one alert a message', () => {
    const r = new NotificationRouter(DEFAULT_ROUTING);
    const out = [r.observe(note('firing', 'a', 0, { merchant: 'm_1' })), r.observe(note('firing', 'a', 0, { merchant: 'm_2' })), r.observe(note('resolved', 'a', 40, { merchant: 'm_1' }))];
    expect(sent(out)).toEqual(['0 desktop firing [m_1:firing]', '0 desktop firing [m_2:firing]', '40 desktop resolved [m_1:resolved]']);
    // live, with the clock ahead of the alert's tick, "at once" still means at once
    const live = new NotificationRouter(DEFAULT_ROUTING);
    expect(sent([live.advanceTo(at(103)), live.observe(note('firing', 'a', 100, { merchant: 'm_3' }))])).toEqual(['103 desktop firing [m_3:firing]']);
  });
  it('repeatInterval is checked at each groupInterval flush, as Alertmanager does: 12m with a 5m groupInterval repeats every 15m', () => {
    // Grafana's and Alertmanager's docs: a repeat goes out at the first flush at or after
    // last message + repeatInterval, so the interval is rounded up to a multiple of groupInterval.
    const r = new NotificationRouter(config({ defaultPolicy: { contactPoint: 'chat', groupWait: '30s', groupInterval: '5m', repeatInterval: '12m' } }));
    const out = [r.observe(note('firing', 'declines', 0, { merchant: 'm_1' }))];
    for (let s = 1; s <= 3600; s += 1) out.push(r.advanceTo(at(s)));
    expect(sent(out)).toEqual(['30 chat firing [m_1:firing]', '930 chat firing [m_1:firing]', '1830 chat firing [m_1:firing]', '2730 chat firing [m_1:firing]']);
  });

  it('groupWait is for a new group only: an alert joining a group whose first flush held everything back waits for the groupInterval', () => {
    // Alertmanager: the group's first flush happened (hasFlushed), whatever it sent.
    const r = new NotificationRouter(config({ inhibitRules: [{ sourceMatchers: ['alertname=stopped'], targetMatchers: ['alertname=declines'] }] }));
    const out = [r.observe(note('firing', 'stopped', 0)), r.observe(note('firing', 'declines', 0, { merchant: 'm_1' })), r.advanceTo(at(30))];
    expect(sent(out)).toEqual(['30 chat firing [stopped:firing]']); // declines' group flushed at 30 s, m_1 inhibited
    out.push(r.observe(note('resolved', 'stopped', 40)), r.observe(note('firing', 'declines', 60, { merchant: 'm_2' })), r.advanceTo(at(329)));
    expect(sent(out)).toHaveLength(1); // not at 90 s (groupWait from m_2): at the group's next flush
    out.push(r.advanceTo(at(330)));
    expect(sent(out).slice(1)).toEqual(['330 chat resolved [stopped:resolved]', '330 chat firing [m_1:firing,m_2:firing]']);
  });
});
