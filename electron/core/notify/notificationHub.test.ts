// A live hub on a controlled wall clock: alerts reach it seconds after their evaluation tick
// (the evaluator trails the wall clock by its lateness allowance), between the hub's ticks.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls } from './secretUrls';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;
const hubs: NotificationHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

function firing(merchant: string, tickS: number): AlertNotification {
  return { kind: 'firing', rule: 'declines', severity: 'critical', labels: { merchant }, value: 0.6, summary: `declines ${merchant}`, at: at(tickS) };
}

function liveHub(wall: { now: number }) {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', url: 'http://127.0.0.1:9/hook' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '2s', groupInterval: '1s', repeatInterval: '1h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const log: NotificationLogEntry[] = [];
  const hub = new NotificationHub({ routing: v.config, urls: new ContactPointUrls(null), log: (e) => log.push({ ...e, id: log.length + 1 }), dryRun: true, clock: () => wall.now });
  hubs.push(hub);
  // The interval never fires within a test: each tick is the test's own advanceTo(wall).
  hub.start(3_600_000);
  const tick = (s: number) => {
    wall.now = at(s);
    hub.advanceTo(wall.now);
  };
  return { hub, log, tick };
}

describe('NotificationHub, live', () => {
  it('waits groupWait from when the first alert arrived, so an alert one evaluation tick later joins the first message', () => {
    const wall = { now: at(0) };
    const { hub, log, tick } = liveHub(wall);
    tick(3);
    wall.now = at(3.9); // m_1 crossed its threshold at tick 0 and arrives just before the hub's tick at 4 s
    hub.observe(firing('m_1', 0));
    tick(4);
    tick(5);
    wall.now = at(5.1); // m_2, one evaluation tick later
    hub.observe(firing('m_2', 1));
    expect(log).toEqual([]);
    tick(6);
    expect(log.map((e) => [e.outcome, e.status, e.alerts.map((a) => a.labels.merchant)])).toEqual([['would_notify', 'firing', ['m_1', 'm_2']]]);
    expect(log[0].eventAt).toBe(at(5.9));
  });
});
