// A live session killed (SIGKILL, a crash, a host reboot) and started again on the same
// database. The engine carries on the alerts it left open without announcing them again
// (alertEvaluator.restore), so the routing must carry on too, as Alertmanager's notification
// log does: what the receiver was told is not said again, what it was not told yet (a group
// still in its groupWait at the kill) still goes out, and a carried-on alert that resolves
// gets its resolved message. Real SQLite file, a real child process killed, a real receiver.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertNotification } from '../../../shared/alerts';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { startSessionNotifications } from './notificationHub';
import type { AlertmanagerWebhookV4 } from './payloads';
import { secretEnvName } from './secretUrls';

const dir = tempDir('payops-notify-restart-');
const ROOT = path.resolve(__dirname, '../../..');
const TOKEN_PATH = '/services/T0001/B0002/XyZ123secretTOKEN456';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

const routing = (groupWait: string) => {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 3 }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait, groupInterval: '1s', repeatInterval: '4h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
};

const note = (kind: 'firing' | 'resolved', at: number): AlertNotification => ({
  kind,
  rule: 'failures',
  severity: 'critical',
  labels: { merchant: 'm_1' },
  value: 0.5,
  summary: `${kind.toUpperCase()} failures: merchant m_1`,
  at,
});

/**
 * The first session, in a process of its own: the engine's record of a firing alert (as the
 * evaluator saves it), the alert routed live; it says "ready" once `until` holds ("sent": the
 * receiver has the page; "routed": the alert is waiting in its group), then waits to be killed.
 */
function firstSession(file: string, url: string, groupWait: string, until: 'sent' | 'routed' | 'resolved', groupInterval = '1s') {
  const code = `
    const { openStore } = require('./electron/core/store/store');
    const { validateRouting } = require('./shared/notificationConfig');
    const { startSessionNotifications } = require('./electron/core/notify/notificationHub');
    const [file, url, groupWait, until, groupInterval] = process.argv.slice(-5);
    const at = Date.now();
    const store = openStore(file);
    const record = ${JSON.stringify({ key: 'failures|merchant=m_1', rule: 'failures', severity: 'critical', labels: { merchant: 'm_1' }, group: 'merchant=m_1', state: 'firing', summary: 'merchant m_1', value: 0.5, peakValue: 0.5, resolvedAt: null, endedAt: null, silenced: false, acknowledged: null, resolveNote: null } satisfies Partial<AlertHistoryRecord>)};
    store.alerts.save([{ ...record, activeSince: at, firedAt: at, transitions: [{ state: 'pending', at }, { state: 'firing', at }] }]);
    store.close();
    const v = validateRouting({
      contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 3 }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait, groupInterval, repeatInterval: '4h' },
    });
    const s = startSessionNotifications({ dbFile: file, routing: v.config, secrets: null, dryRun: false, live: true, env: { ${secretEnvName('oncall')}: url + ${JSON.stringify(TOKEN_PATH)} } });
    s.hub.observe({ kind: 'firing', rule: 'failures', severity: 'critical', labels: { merchant: 'm_1' }, value: 0.5, summary: 'FIRING failures: merchant m_1', at });
    const poll = setInterval(() => {
      if (until !== 'routed' && !s.recent(10).some((e) => e.outcome === 'sent')) return;
      clearInterval(poll);
      if (until === 'resolved') {
        // The alert resolves (the engine records it) and its resolved message waits for the groupInterval.
        const w = openStore(file);
        const done = Date.now();
        w.alerts.save([{ ...record, state: 'resolved', activeSince: at, firedAt: at, resolvedAt: done, transitions: [{ state: 'pending', at }, { state: 'firing', at }, { state: 'resolved', at: done }] }]);
        w.close();
        s.hub.observe({ kind: 'resolved', rule: 'failures', severity: 'critical', labels: { merchant: 'm_1' }, value: 0.1, summary: 'RESOLVED failures: merchant m_1', at: done });
      }
      console.log('ready');
    }, 10);
    setInterval(() => undefined, 1000);
  `;
  // tsx runs the code in a child process of its own: the session is killed with its whole
  // process group, or SIGKILL would end the wrapper and leave the session running (and paging).
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['-e', code, file, url, groupWait, until, groupInterval], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`the first session exited (${code}) before it was ready`)));
  });
  return {
    ready,
    kill: async () => {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

async function secondSession(file: string, url: string, groupWait: string) {
  const s = startSessionNotifications({ dbFile: file, routing: routing(groupWait), secrets: null, dryRun: false, live: true, env: { [secretEnvName('oncall')]: url + TOKEN_PATH } });
  open.push({ close: () => s.stop() });
  return s;
}

describe('a live session killed and started again on its database', () => {
  it('a carried-on alert that resolves after the restart gets its resolved message; the page already delivered is not sent again', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const file = path.join(dir, 'delivered.db');
    const first = firstSession(file, receiver.url, '0s', 'sent');
    await first.ready;
    await first.kill();
    expect(receiver.requests).toHaveLength(1);

    const second = await secondSession(file, receiver.url, '0s');
    second.hub.observe(note('resolved', Date.now()));
    await waitFor(() => receiver.requests.length >= 2, () => `the resolved message (the receiver has ${receiver.requests.length} request(s))`, 10_000);
    await second.stop();
    const bodies = receiver.requests.map((r) => r.body as AlertmanagerWebhookV4);
    expect(bodies.map((b) => `${b.status}:${b.alerts.map((a) => a.status).join(',')}`)).toEqual(['firing:firing', 'resolved:resolved']);
    expect(bodies[1].alerts[0].fingerprint).toBe(bodies[0].alerts[0].fingerprint);
  });

  it('an alert still waiting for its groupWait at the kill is paged after the restart (the engine will not announce it again)', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const file = path.join(dir, 'pending.db');
    const first = firstSession(file, receiver.url, '1h', 'routed');
    await first.ready;
    await first.kill();
    expect(receiver.requests).toHaveLength(0);

    await secondSession(file, receiver.url, '0s');
    await waitFor(() => receiver.requests.length >= 1, 'the page that was pending at the kill', 10_000);
    const body = receiver.requests[0].body as AlertmanagerWebhookV4;
    expect([body.status, body.alerts.map((a) => a.labels.merchant)]).toEqual(['firing', ['m_1']]);
  });

  it('a resolved message still waiting for its groupInterval at the kill goes out after the restart (the receiver was told it fires)', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const file = path.join(dir, 'resolved-pending.db');
    const first = firstSession(file, receiver.url, '0s', 'resolved', '1h');
    await first.ready;
    await first.kill();
    expect(receiver.requests).toHaveLength(1);

    await secondSession(file, receiver.url, '0s');
    await waitFor(() => receiver.requests.length >= 2, 'the resolved message that was pending at the kill', 10_000);
    const bodies = receiver.requests.map((r) => r.body as AlertmanagerWebhookV4);
    expect(bodies.map((b) => `${b.status}:${b.alerts.map((a) => `${a.labels.merchant}=${a.status}`).join(',')}`)).toEqual(['firing:m_1=firing', 'resolved:m_1=resolved']);
  });
});
