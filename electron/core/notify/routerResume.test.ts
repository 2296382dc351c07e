// A restarted live session's router carrying on from the notification log (pure: controlled clock).
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { validateRouting, type RoutingConfig } from '../../../shared/notificationConfig';
import { NotificationRouter, type DeliveredMessage, type RouteResult } from './router';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;

function config(policies: unknown[]): RoutingConfig {
  const v = validateRouting({
    contactPoints: [
      { name: 'oncall', type: 'webhook', url: 'http://127.0.0.1:9/hook' },
      { name: 'chat', type: 'slack', url: 'http://127.0.0.1:9/chat' },
    ],
    policies,
    defaultPolicy: { contactPoint: 'chat', groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
}

const oncall = { contactPoint: 'oncall', matchers: ['severity=critical'], groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' };
const note = (kind: 'firing' | 'resolved', s: number, merchant: string): AlertNotification => ({ kind, rule: 'failures', severity: 'critical', labels: { merchant }, value: null, summary: `${kind} ${merchant}`, at: at(s) });
const sent = (r: RouteResult) => r.dispatches.map((d) => `${(d.at - T0) / 1000} ${d.contactPoint.name} ${d.status} [${d.alerts.map((a) => `${a.labels.merchant}:${a.status}`).join(',')}]`);
const told = (r: RouteResult): DeliveredMessage[] =>
  r.dispatches.map((d) => ({ contactPoint: d.contactPoint.name, groupKey: d.groupKey, at: d.at, alerts: d.alerts }));

describe('NotificationRouter.resume (a live session restarted on its database)', () => {
  it('a policy added above the others between the sessions (every group key shifts) pages nothing again; repeat and resolve carry on', () => {
    const before = new NotificationRouter(config([oncall]));
    before.observe(note('firing', 0, 'm_1'));
    const first = before.advanceTo(at(30));
    expect(sent(first)).toEqual(['30 oncall firing [m_1:firing]']);

    const after = new NotificationRouter(config([{ contactPoint: 'chat', matchers: ['merchant=m_9'] }, oncall]));
    const resumed = after.resume(at(600), [note('firing', 0, 'm_1')], told(first));
    expect(sent(resumed)).toEqual([]);
    // Nothing new within the hour; the repeat comes an hour after the page the receiver got.
    expect(sent(after.advanceTo(at(3000)))).toEqual([]);
    expect(sent(after.advanceTo(at(30 + 3600)))).toEqual(['3630 oncall firing [m_1:firing]']);
    after.observe(note('resolved', 4000, 'm_1'));
    expect(sent(after.advanceTo(at(4300)))).toEqual(['4230 oncall resolved [m_1:resolved]']);
  });

  it('an alert the receiver was not told of (pending at the crash) goes out after groupWait; one it was told of does not', () => {
    const before = new NotificationRouter(config([oncall]));
    before.observe(note('firing', 0, 'm_1'));
    const first = before.advanceTo(at(30));
    const after = new NotificationRouter(config([oncall]));
    after.resume(at(100), [note('firing', 0, 'm_1'), note('firing', 50, 'm_2')], told(first));
    expect(sent(after.advanceTo(at(130)))).toEqual(['130 oncall firing [m_1:firing,m_2:firing]']);
  });

  it('an alert the receiver was last told fires, no longer open, gets its resolved message once; the desktop gets none', () => {
    const withDesk = config([{ ...oncall, continue: true }, { contactPoint: 'desktop', matchers: ['severity=critical'] }]);
    const before = new NotificationRouter(withDesk);
    before.observe(note('firing', 0, 'm_1'));
    const first = [...before.advanceTo(at(30)).dispatches];
    expect(first.map((d) => d.contactPoint.name).sort()).toEqual(['desktop', 'oncall']);
    const after = new NotificationRouter(withDesk);
    const resolvedNow = after.resume(at(600), [], told({ dispatches: first, suppressions: [] }));
    const later = after.advanceTo(at(630));
    expect([...sent(resolvedNow), ...sent(later)]).toEqual(['630 oncall resolved [m_1:resolved]']);
    // Once that message is the group's last, a further restart says nothing.
    const again = new NotificationRouter(withDesk);
    again.resume(at(900), [], told(later));
    expect(sent(again.advanceTo(at(2000)))).toEqual([]);
  });

  it("a carried-on alert whose rule's severity changed between the sessions still resolves (under the labels the receiver knows) and is not repeated after", () => {
    const before = new NotificationRouter(config([]));
    before.observe({ ...note('firing', 0, 'm_1'), severity: 'warning', key: 'k1' });
    const first = before.advanceTo(at(30));
    expect(sent(first)).toEqual(['30 chat firing [m_1:firing]']);
    const after = new NotificationRouter(config([]));
    after.resume(at(600), [{ ...note('firing', 0, 'm_1'), severity: 'warning', key: 'k1' }], told(first));
    // The engine now runs the rule as critical: its resolve carries severity=critical.
    after.observe({ ...note('resolved', 700, 'm_1'), severity: 'critical', key: 'k1' });
    const out = after.advanceTo(at(2000));
    expect(sent(out)).toEqual(['930 chat resolved [m_1:resolved]']);
    expect(out.dispatches[0].alerts[0].labels.severity).toBe('warning');
    expect(sent(after.advanceTo(at(30 + 4 * 3600)))).toEqual([]);
  });

  it('a carried-on alert silenced at the restart is not repeated while silenced; its silence ending brings the repeat back, its resolve goes out', () => {
    const before = new NotificationRouter(config([oncall]));
    before.observe(note('firing', 0, 'm_1'));
    const first = before.advanceTo(at(30));
    const after = new NotificationRouter(config([oncall]));
    after.resume(at(600), [], told(first), [note('firing', 0, 'm_1')]);
    expect(sent(after.advanceTo(at(3 * 3600)))).toEqual([]);
    const { rule, severity, labels } = note('firing', 0, 'm_1');
    after.silence({ kind: 'unsilenced', rule, severity, labels, key: 'k', at: at(3 * 3600 + 10) });
    expect(sent(after.advanceTo(at(3 * 3600 + 400)))).toEqual([`${3 * 3600 + 30} oncall firing [m_1:firing]`]);
    after.silence({ kind: 'silenced', rule, severity, labels, key: 'k', at: at(3 * 3600 + 500) });
    after.observe(note('resolved', 6 * 3600, 'm_1'));
    expect(sent(after.advanceTo(at(7 * 3600)))).toEqual([`${6 * 3600 + 30} oncall resolved [m_1:resolved]`]);
  });
});
