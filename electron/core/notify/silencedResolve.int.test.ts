// An alert paged, then silenced (an operator acknowledging it), then resolved while still
// silenced. Alertmanager (0.2x) mutes it at notification time: no repeat while silenced, and no
// resolved message (prometheus/alertmanager#226, pinned by its tests in #5470; a send-resolved-
// after-notify change is proposed behind a flag, #4634/#5561). payops's router does not see
// silences: the evaluator said nothing at the resolve, so the router kept the alert firing in its
// group and paged the receiver again every repeatInterval, forever (and it kept inhibiting).
// A receiver that was paged now gets the resolved message, as the restart resume already sends
// it; one that was never told (silenced before it fired) hears nothing.
// Real evaluator, real SQLite notification log, real receiver on loopback.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';
import { ev, rule, sec } from '../../../test/support/alertTestKit';
import { startReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import { openNotificationLog } from '../store/notificationLogRepository';
import { openStore } from '../store/store';
import { fingerprintOf } from './router';
import { startSessionNotifications } from './notificationHub';
import type { AlertmanagerWebhookV4 } from './payloads';
import { secretEnvName } from './secretUrls';

const dir = tempDir('payops-notify-silenced-');
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function session(file: string) {
  const receiver = await startReceiver();
  open.push(receiver);
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s', repeatInterval: '1m' },
  });
  if (!v.ok) throw new Error('routing');
  const s = startSessionNotifications({ dbFile: path.join(dir, file), routing: v.config, secrets: null, dryRun: false, live: false, finishWaitMs: 10_000, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } });
  const seen = () => receiver.requests.map((q) => q.body as AlertmanagerWebhookV4).map((b) => `${b.status}:${b.alerts.map((a) => a.status).join(',')}`);
  return { s, seen };
}

const fraud = () => rule({ name: 'fraud', metric: 'risk_blocked_count', condition: { above: 2 }, window: '30s' });
const burst = () => Array.from({ length: 5 }, (_, i) => ev('risk.blocked', sec(1 + i)));

/** A database a previous session left: the alert open, firing and silenced; the receiver paged before the silence. */
async function restarted(name: string) {
  const receiver = await startReceiver();
  open.push(receiver);
  const file = path.join(dir, name);
  const firedAt = Date.now() - 600_000;
  // What the previous session left: the alert open, firing and silenced; the receiver paged before the silence.
  const record = {
    key: 'fraud//1',
    rule: 'fraud',
    severity: 'warning',
    labels: {},
    group: '',
    state: 'firing',
    summary: 'risk blocks 5',
    value: 5,
    peakValue: 5,
    activeSince: firedAt,
    firedAt,
    resolvedAt: null,
    endedAt: null,
    silenced: true,
    acknowledged: null,
    resolveNote: null,
    transitions: [{ state: 'firing', at: firedAt }],
  } as unknown as AlertHistoryRecord;
  const store = openStore(file);
  store.alerts.save([record]);
  store.close();
  const labels = { alertname: 'fraud', severity: 'warning' };
  const log = openNotificationLog(file);
  log.log.append({
    at: firedAt, eventAt: firedAt, contactPoint: 'oncall', contactType: 'webhook', outcome: 'sent', status: 'firing', groupKey: '-1:oncall:{alertname="fraud"}',
    groupLabels: { alertname: 'fraud' }, rule: 'fraud', attempt: 1, maxAttempts: 3, final: true, httpStatus: 200, error: null, durationMs: 2,
    alerts: [{ rule: 'fraud', severity: 'warning', status: 'firing', labels, fingerprint: fingerprintOf(labels), startsAt: firedAt, endsAt: null, summary: 'FIRING fraud: risk blocks 5' }],
  });
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s', repeatInterval: '4h' },
  });
  if (!v.ok) throw new Error('routing');
  return { file, receiver, routing: v.config, record };
}

describe('an alert silenced while it fires', () => {
  it('paged, silenced, resolved while silenced: the receiver gets the resolved message and no more pages', async () => {
    const { s, seen } = await session('paged.db');
    const e = new AlertEvaluator([fraud()], null, { allowedLatenessMs: 0, now: () => sec(12) });
    e.observeEvents(burst());
    for (const n of e.advanceTo(sec(12))) s.hub.observe(n);
    e.silence([{ label: 'alertname', op: '=', value: 'fraud' }], sec(10_000), 'on it', 'alice');
    e.observeEvents([ev('risk.scored', sec(100))]);
    for (const n of e.advanceTo(sec(100))) s.hub.observe(n);
    expect(e.list()[0]).toMatchObject({ state: 'resolved', silenced: true });
    // An hour of the router's clock later: repeats would have gone out every minute.
    s.hub.advanceTo(sec(3700));
    await s.stop();
    expect(seen()).toEqual(['firing:firing', 'resolved:resolved']);
  });

  it('silenced before it fired: nothing at all reaches the receiver', async () => {
    const { s, seen } = await session('never.db');
    const e = new AlertEvaluator([fraud()], null, { allowedLatenessMs: 0, now: () => sec(0) });
    e.silence([{ label: 'alertname', op: '=', value: 'fraud' }], sec(10_000), 'maintenance', 'alice');
    e.observeEvents(burst());
    e.observeEvents([ev('risk.scored', sec(100))]);
    for (const n of e.advanceTo(sec(100))) s.hub.observe(n);
    s.hub.advanceTo(sec(3700));
    await s.stop();
    expect(seen()).toEqual([]);
  });

  it('restarted while a paged alert is silenced and still fires: the receiver is not told it resolved', async () => {
    const { file, receiver, routing, record } = await restarted('still-firing.db');
    const e = new AlertEvaluator([fraud()], null, { allowedLatenessMs: 0, now: Date.now });
    expect([...e.restore([record])]).toEqual(['fraud//1']);
    e.silence([{ label: 'alertname', op: '=', value: 'fraud' }], Date.now() + 3600_000, 'on it', 'alice');
    const s = startSessionNotifications({ dbFile: file, routing, secrets: null, dryRun: false, live: true, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } });
    open.push({ close: () => s.stop() });
    const now = Date.now();
    e.observeEvents(Array.from({ length: 5 }, () => ev('risk.blocked', now - 1000)));
    for (const n of e.advanceTo(now)) s.hub.observe(n);
    expect(e.list()[0]).toMatchObject({ state: 'firing', silenced: true });
    await s.stop();
    expect(receiver.requests).toEqual([]);
  });

  it('restarted while a paged alert is silenced: when it resolves, silenced still, the receiver gets the resolved message once', async () => {
    const { file, receiver, routing, record } = await restarted('resolves.db');
    const e = new AlertEvaluator([fraud()], null, { allowedLatenessMs: 0, now: Date.now });
    expect([...e.restore([record])]).toEqual(['fraud//1']);
    // The silence (in the engine, read back from the store with the alerts).
    e.silence([{ label: 'alertname', op: '=', value: 'fraud' }], Date.now() + 3600_000, 'on it', 'alice');
    const s = startSessionNotifications({ dbFile: file, routing, secrets: null, dryRun: false, live: true, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } });
    open.push({ close: () => s.stop() });
    // Still silenced, the condition gone: it resolves.
    const now = Date.now();
    e.observeEvents([ev('risk.scored', now - 60_000), ev('risk.scored', now - 1000)]);
    for (const n of e.advanceTo(now)) s.hub.observe(n);
    expect(e.list({ includeResolved: true })[0]).toMatchObject({ state: 'resolved', silenced: true });
    await s.stop();
    const bodies = receiver.requests.map((q) => q.body as AlertmanagerWebhookV4);
    expect(bodies.map((b) => `${b.status}:${b.alerts.map((a) => a.status).join(',')}`)).toEqual(['resolved:resolved']);
    expect(bodies[0].alerts[0].fingerprint).toBe(fingerprintOf({ alertname: 'fraud', severity: 'warning' }));
  });
});

