// A contact point that cannot deliver (its secret missing, its receiver down) fails the same
// message again at every groupInterval flush, live (the router says an undelivered message
// again, as Alertmanager does). Each failure stays in the notification log, but the operator's
// line (the CLI's stderr, the console's log) is said once and then at most once an hour with a
// count, not every few minutes for as long as the fault lasts; when the contact point delivers
// again, a line says so with the count of failures not repeated. Keyed by contact point, status
// and reason: a rule grouped by merchant failing for 50 merchants is one line, not 50. The
// receiver is a real HTTP server on loopback; the hub's clock is the test's.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver } from '../../../test/support/httpReceiver';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const firing = (merchant: string): AlertNotification => ({ kind: 'firing', rule: 'declines', severity: 'critical', labels: { merchant }, value: 0.5, summary: `FIRING declines ${merchant}`, at: at(0) });

function liveHub(env: NodeJS.ProcessEnv, groupBy: string[] = ['alertname']) {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 1 }],
    defaultPolicy: { contactPoint: 'oncall', groupBy, groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const log: NotificationLogEntry[] = [];
  const warns: string[] = [];
  let now = at(0);
  const hub = new NotificationHub({
    clock: () => now,
    routing: v.config,
    urls: new ContactPointUrls(null, env),
    log: (e) => log.push({ ...e, id: log.length + 1 }),
    dryRun: false,
    warn: (line) => warns.push(line),
  });
  hub.start(3_600_000); // live; the test moves the clock
  open.push({ close: () => hub.stop(0) });
  /** Moves the clock in 5-minute flushes from 30 s up to `s`, each flush's deliveries ended before the next. */
  const runTo = async (s: number) => {
    for (let t = Math.max(30, Math.ceil(((now - T0) / 1000 - 30) / 300) * 300 + 30); t <= s; t += 300) {
      now = at(t);
      hub.advanceTo(now);
      await hub.delivery.idle();
    }
  };
  return { hub, log, warns, runTo };
}

describe('a contact point that keeps failing', () => {
  it('a missing secret: every failure is logged, but the operator line is said once, then once an hour with a count', async () => {
    const { hub, log, warns, runTo } = liveHub({});
    hub.observe(firing('m_1'));
    await runTo(3330); // the page at 30 s and its re-sends at every 5-minute flush: 12 failures in the hour
    const failures = log.filter((e) => e.outcome === 'failed' && e.final);
    expect(failures).toHaveLength(12);
    expect(warns).toEqual(['notification not delivered to contact point "oncall" (webhook, firing declines): secret "oncall" is not set (secret store, or PAYOPS_SECRET_ONCALL in the environment)']);
    await runTo(3630); // an hour after the line: said again, with what was not repeated
    expect(log.filter((e) => e.outcome === 'failed' && e.final)).toHaveLength(13);
    expect(warns).toHaveLength(2);
    expect(warns[1]).toBe(
      'notification not delivered to contact point "oncall" (webhook, firing declines): secret "oncall" is not set (secret store, or PAYOPS_SECRET_ONCALL in the environment) (still failing: 11 more firing messages not delivered to this contact point for this reason since 2026-11-23 06:00:30 UTC, not repeated here; each is in the notification log)',
    );
  });

  it('many groups (a rule grouped by merchant): one line for them all; when the secret is set, the recovery is said with the count not repeated', async () => {
    const receiver = await startReceiver({ kind: 'ok' });
    open.push(receiver);
    const env: NodeJS.ProcessEnv = {};
    const { hub, warns, runTo } = liveHub(env, ['merchant']);
    for (let m = 1; m <= 50; m++) hub.observe(firing(`m_${m}`));
    await runTo(930); // 4 failures each
    expect(warns.map((w) => w.slice(0, 69))).toEqual(['notification not delivered to contact point "oncall" (webhook, firing']);
    env[secretEnvName('oncall')] = `${receiver.url}/hook/T0001/B0002/XyZ123secretTOKEN456`;
    await runTo(1230);
    expect(receiver.requests).toHaveLength(50);
    expect(warns.slice(1)).toEqual(['contact point "oncall" (webhook) delivers again; 199 earlier failures were not repeated here (each is in the notification log)']);
    expect(warns.join('\n')).not.toContain('secretTOKEN');
  });

  it('a receiver that answers 503: the same, keyed by its reason; a new reason is said at once', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 503 });
    open.push(receiver);
    const { hub, warns, runTo } = liveHub({ [secretEnvName('oncall')]: `${receiver.url}/hook` });
    hub.observe(firing('m_1'));
    await runTo(1230); // 5 failures, HTTP 503
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatch(/after 1 of 1 attempt: HTTP 503; the receiver answered: "error"$/);
    receiver.mode = { kind: 'status', status: 500 };
    await runTo(1530);
    expect(warns).toHaveLength(2);
    expect(warns[1]).toMatch(/after 1 of 1 attempt: HTTP 500; the receiver answered: "error"$/);
  });
});
