// The router at the end of a run: drainChanges (a replay's end, the backtest) runs the flushes
// that still carry a change, each at its scheduled event time, and stops there: no repeats
// beyond, no endless loop on an inhibited alert that will never go out. flushChangesNow (a
// live stop) sends those changes at once.
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { validateRouting, type RoutingConfig } from '../../../shared/notificationConfig';
import { NotificationRouter, type RouteResult } from './router';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;

function config(extra: Record<string, unknown> = {}): RoutingConfig {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', url: 'http://127.0.0.1:9/hook' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '10s', groupInterval: '1m', repeatInterval: '2m' },
    ...extra,
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
}

function note(kind: 'firing' | 'resolved', rule: string, s: number): AlertNotification {
  return { kind, rule, severity: 'critical', labels: {}, value: null, summary: `${kind} ${rule}`, at: at(s) };
}

const sent = (rs: RouteResult[]) => rs.flatMap((r) => r.dispatches.map((d) => `${(d.at - T0) / 1000} ${d.status} ${d.alerts.map((a) => a.rule).join(',')}`));

describe('NotificationRouter at the end of a run', () => {
  it('drainChanges: the resolved message goes out at its groupInterval flush; a still-firing group is not repeated past it', () => {
    const r = new NotificationRouter(config());
    const out = [r.observe(note('firing', 'a', 0)), r.observe(note('firing', 'b', 0)), r.observe(note('resolved', 'a', 30)), r.advanceTo(at(40))];
    expect(sent(out)).toEqual(['10 firing a', '10 firing b']);
    out.push(r.drainChanges(at(40 + 10 + 60)));
    expect(sent(out)).toEqual(['10 firing a', '10 firing b', '70 resolved a']);
    // nothing more to announce: draining again (even far on) sends nothing, not b's repeat
    expect(sent([r.drainChanges(at(100_000))])).toEqual([]);
  });

  it('drainChanges ends on an inhibited alert that will never go out', () => {
    const r = new NotificationRouter(config({ inhibitRules: [{ sourceMatchers: ['alertname=src'], targetMatchers: ['alertname=tgt'] }] }));
    const out = [r.observe(note('firing', 'src', 0)), r.observe(note('firing', 'tgt', 0)), r.advanceTo(at(20))];
    out.push(r.drainChanges(at(10_000_000)));
    expect(sent(out)).toEqual(['10 firing src']);
    expect(out.flatMap((x) => x.suppressions.map((s) => `${s.reason} ${s.alert.rule}`))).toEqual(['inhibited tgt']);
  });

  it('flushChangesNow: a live stop sends the waiting resolved message at once', () => {
    const r = new NotificationRouter(config());
    const out = [r.observe(note('firing', 'a', 0)), r.advanceTo(at(10)), r.observe(note('resolved', 'a', 20))];
    out.push(r.flushChangesNow(at(25)));
    expect(sent(out)).toEqual(['10 firing a', '25 resolved a']);
    expect(r.groupCount).toBe(0);
  });
});
