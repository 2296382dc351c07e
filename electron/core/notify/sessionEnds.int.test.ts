// The ends of a notification session, against a real HTTP receiver on loopback and the real
// SQLite notification log: a replay's end sends the resolved message due a groupInterval
// after its last alert (what the backtest lists), and waits, bounded, for retries; a live
// stop flushes a resolved message still waiting for its groupInterval; a missing secret is
// said at the start and every delivery that fails for good gets one operator line. No URL or
// token in any line or in the database's bytes.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting, type RoutingConfig } from '../../../shared/notificationConfig';
import { openNotificationLog } from '../store/notificationLogRepository';
import { startReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { startSessionNotifications, type SessionNotifications } from './notificationHub';
import { backtestRouting } from './routingBacktest';
import { secretEnvName } from './secretUrls';

const dir = tempDir('payops-notify-ends-');
const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;
const TOKEN_PATH = '/services/T0001/B0002/XyZ123secretTOKEN456';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function note(kind: 'firing' | 'resolved', s: number, merchant = 'm_1'): AlertNotification {
  return { kind, rule: 'declines', severity: 'critical', labels: { merchant }, value: 0.6, summary: `${kind} declines ${merchant}`, at: at(s) };
}

function routing(contact: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): RoutingConfig {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '2s', maxAttempts: 3, ...contact }, ...((extra.more as unknown[]) ?? [])],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '10s', groupInterval: '1m', repeatInterval: '4h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
}

function session(cfg: RoutingConfig, env: NodeJS.ProcessEnv, options: { live: boolean; dryRun?: boolean; finishWaitMs?: number }) {
  const dbFile = path.join(dir, `n-${Math.random().toString(36).slice(2)}.db`);
  const lines: string[] = [];
  const s: SessionNotifications = startSessionNotifications({
    dbFile,
    routing: cfg,
    secrets: null,
    dryRun: options.dryRun ?? false,
    live: options.live,
    env,
    warn: (l) => lines.push(l),
    backoff: { initialMs: 100, maxMs: 200, jitter: 0 },
    finishWaitMs: options.finishWaitMs,
  });
  cleanup.push(() => s.stop());
  const log = (): NotificationLogEntry[] => {
    const store = openNotificationLog(dbFile, { readonly: true });
    try {
      return store.log.list();
    } finally {
      store.close();
    }
  };
  const bytes = () => Buffer.concat(['', '-wal'].filter((x) => fs.existsSync(dbFile + x)).map((x) => fs.readFileSync(dbFile + x)));
  return { s, lines, log, bytes, dbFile };
}

describe('notifications the evaluator dropped', () => {
  // Before: counted by the evaluator and said nowhere; a run that lost pages ended as if it had not.
  it('are said at the end of the run beside the delivery totals, as the snapshots last counted them', async () => {
    const { s, lines } = session(routing(), {}, { live: false, dryRun: true });
    s.hub.observe(note('firing', 0));
    s.noteDropped(12);
    s.noteDropped(40);
    await s.stop();
    expect(lines.at(-1)).toBe('notifications: 40 alert notifications dropped before routing (the alert evaluator\'s queue overflowed): sent to no contact point, in no notification log');
  });
});

describe('the end of a replay', () => {
  it('sends the resolved message due a groupInterval after the last alert, at its event time, as the backtest lists it', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const cfg = routing();
    const notes = [note('firing', 0), note('resolved', 95)];
    const { s, lines, log } = session(cfg, { [secretEnvName('oncall')]: `${receiver.url}${TOKEN_PATH}` }, { live: false });
    for (const n of notes) s.hub.observe(n);
    // firing at 10 s (groupWait); the resolve at 95 s waits for the flush at 130 s
    s.hub.flushPending();
    await s.stop();
    const sent = log().map((e) => [e.outcome, e.status, new Date(e.eventAt).toISOString()]);
    expect(sent).toEqual([
      ['sent', 'firing', new Date(at(10)).toISOString()],
      ['sent', 'resolved', new Date(at(130)).toISOString()],
    ]);
    expect(receiver.requests.map((r) => (r.body as { status: string }).status)).toEqual(['firing', 'resolved']);
    const bt = backtestRouting(cfg, notes, [], null);
    expect(bt.wouldNotify.map((w) => ['sent', w.status, w.at])).toEqual(sent);
    expect(lines).toEqual(['notifications: 2 messages delivered']);
  });

  it('waits for the retries of its deliveries: a receiver failing twice then answering gets its message on the 3rd attempt', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 500 });
    cleanup.push(() => receiver.close());
    const { s, lines, log } = session(routing(), { [secretEnvName('oncall')]: `${receiver.url}${TOKEN_PATH}` }, { live: false });
    s.hub.observe(note('firing', 0));
    s.hub.flushPending();
    const flip = setInterval(() => {
      if (receiver.requests.length >= 2) receiver.mode = { kind: 'ok' };
    }, 5);
    cleanup.push(async () => clearInterval(flip));
    await s.stop();
    expect(log().map((e) => [e.outcome, e.attempt, e.final])).toEqual([
      ['failed', 1, false],
      ['failed', 2, false],
      ['sent', 3, true],
    ]);
    expect(s.totals()).toEqual({ sent: 1, failed: 0, notSent: 0 });
    expect(lines).toEqual(['notifications: 1 message delivered']);
  });

  it('is bounded: past its wait, the retry is not made and the end line says how many were not delivered', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 500 });
    cleanup.push(() => receiver.close());
    const { s, lines, log, bytes } = session(routing({ maxAttempts: 10 }), { [secretEnvName('oncall')]: `${receiver.url}${TOKEN_PATH}` }, { live: false, finishWaitMs: 250 });
    s.hub.observe(note('firing', 0));
    s.hub.flushPending();
    const started = Date.now();
    await s.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    const rows = log();
    expect(rows.length).toBeLessThan(10);
    expect(rows[rows.length - 1]).toMatchObject({ outcome: 'failed', final: true });
    expect(rows.filter((e) => e.final)).toHaveLength(1);
    expect(lines[0]).toMatch(/^notification not delivered to contact point "oncall" \(webhook, firing declines\) after \d of 10 attempts \(not retried: payops is shutting down\): HTTP 500/);
    expect(lines[lines.length - 1]).toMatch(/^notifications: 1 of 1 message not delivered \(1 failed after their attempts, 0 not sent before the end\)/);
    expect(JSON.stringify(lines)).not.toContain('secretTOKEN');
    expect(bytes().includes('secretTOKEN')).toBe(false);
  });
});

describe('a live session', () => {
  it('at its stop, flushes a resolved message still waiting for its groupInterval (sent now, logged)', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const { s, log } = session(routing(), { [secretEnvName('oncall')]: `${receiver.url}${TOKEN_PATH}` }, { live: true });
    const now = Date.now();
    s.hub.observe({ ...note('firing', 0), at: now });
    s.hub.advanceTo(now + 10_000); // the group's first message
    s.hub.observe({ ...note('resolved', 0), at: now + 20_000 }); // its flush is due at +70 s
    await s.stop();
    expect(log().map((e) => [e.outcome, e.status])).toEqual([
      ['sent', 'firing'],
      ['sent', 'resolved'],
    ]);
    expect(receiver.requests.map((r) => (r.body as { status: string }).status)).toEqual(['firing', 'resolved']);
  });

  it('a missing secret is said at the start, once per contact point, and each message for it is one failure line; no URL anywhere', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 500 });
    cleanup.push(() => receiver.close());
    const cfg = routing({}, { more: [{ name: 'chat', type: 'slack', urlSecret: 'team-chat' }] });
    cfg.policies.push({ ...cfg.defaultPolicy, contactPoint: 'oncall', continue: true }, { ...cfg.defaultPolicy, contactPoint: 'chat' });
    const { s, lines, log, bytes, dbFile } = session(cfg, { [secretEnvName('oncall')]: `${receiver.url}${TOKEN_PATH}` }, { live: true });
    await waitFor(() => lines.length > 0, 'the missing secret said at the start');
    expect(lines).toEqual(['contact point "chat" cannot deliver: secret "team-chat" is not set (secret store, or PAYOPS_SECRET_TEAM_CHAT in the environment); its notifications will be logged failed']);
    const now = Date.now();
    s.hub.observe({ ...note('firing', 0), at: now });
    s.hub.advanceTo(now + 10_000);
    // Both messages end (the webhook after its three attempts) before the session stops: a
    // delivery not started yet is not what idle() waits for, and stop() makes no more retries.
    await waitFor(() => log().filter((e) => e.final).length === 2, 'both messages to end', 30_000);
    await s.hub.delivery.idle();
    await s.stop();
    expect(lines.slice(1)).toEqual([
      'notification not delivered to contact point "chat" (slack, firing declines): secret "team-chat" is not set (secret store, or PAYOPS_SECRET_TEAM_CHAT in the environment)',
      'notification not delivered to contact point "oncall" (webhook, firing declines) after 3 of 3 attempts: HTTP 500; the receiver answered: "error"',
      `notifications: 2 of 2 messages not delivered (2 failed after their attempts, 0 not sent before the end); see payops notifications --db ${dbFile}`,
    ]);
    expect(log().filter((e) => e.final).map((e) => [e.contactPoint, e.outcome])).toEqual([
      ['chat', 'failed'],
      ['oncall', 'failed'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secretTOKEN');
    expect(JSON.stringify(lines)).not.toContain('127.0.0.1');
    expect(bytes().includes('secretTOKEN')).toBe(false);
  });

  it('a dry run (a replay without --deliver) warns about nothing', async () => {
    const { s, lines } = session(routing(), {}, { live: false, dryRun: true });
    s.hub.observe(note('firing', 0));
    s.hub.flushPending();
    await s.stop();
    expect(lines).toEqual([]);
  });
});
