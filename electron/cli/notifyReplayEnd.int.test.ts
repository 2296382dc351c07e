// The end of `payops replay --deliver`, end to end with a real HTTP receiver on loopback: a
// resolved message due a groupInterval after the capture's last alert is still sent, at its
// event time, exactly as `payops backtest` lists it; a receiver answering 500 gets all its
// attempts for every message and each final failure is a line on stderr, as is a contact
// point whose PAYOPS_SECRET_<NAME> is missing (at the start); no token on any output or file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declineSpikeCapture } from '../../test/support/declineSpikeCapture';
import { runPayops } from '../../test/support/cli';
import { startReceiver } from '../../test/support/httpReceiver';
import { tempDir } from '../../test/support/tempDir';
import type { NotificationLogJson } from '../../shared/notifications';

const dir = tempDir('payops-notify-replay-end-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);
const TOKEN = 'T0001/B0002/XyZ123secretTOKEN456';

// groupInterval 2m: the resolve (about 60 s) waits for the flush 2 minutes after the first
// message, long after the capture's last event (90 s).
const RULES = `
rules:
  - { name: declines, description: Declines spike., severity: critical, metric: decline_rate, condition: { above: 50% }, window: 10s, minVolume: 10 }
contactPoints:
  - { name: oncall, type: webhook, urlSecret: oncall, timeout: 2s, maxAttempts: 3 }
  - { name: chat, type: slack, urlSecret: team-chat }
policies:
  - { contactPoint: oncall, groupWait: 5s, groupInterval: 2m, continue: true }
  - { contactPoint: chat, groupWait: 5s, groupInterval: 2m }
`;

const capture = (file: string) => declineSpikeCapture(file, T0);

function filesContaining(root: string, secret: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => path.join(root, f))
    .filter((p) => fs.statSync(p).isFile() && fs.readFileSync(p).includes(secret));
}

async function replay(receiverUrl: string, name: string, env: NodeJS.ProcessEnv = {}) {
  const home = fs.mkdtempSync(path.join(dir, `${name}-`));
  const rules = path.join(home, 'rules.yaml');
  fs.writeFileSync(rules, RULES);
  const db = path.join(home, 'replay.db');
  const file = capture(path.join(home, 'c.ndjson'));
  const r = await runPayops(
    ['replay', file, '--db', db, '--rules', rules, '--json', '--deliver'],
    { PAYOPS_SECRET_ONCALL: `${receiverUrl}/services/${TOKEN}`, PAYOPS_HOME: home, ...env },
    120_000,
  );
  const log = JSON.parse((await runPayops(['notifications', '--db', db, '--json'])).stdout) as NotificationLogJson[];
  const bt = JSON.parse((await runPayops(['backtest', '--rules', rules, file, '--json'], { PAYOPS_HOME: home })).stdout) as {
    routing: { wouldNotify: { at: string; contactPoint: string; status: string }[] };
  };
  return { home, r, log, backtest: bt.routing.wouldNotify };
}

describe('the end of payops replay --deliver', () => {
  it('sends the resolved message due after the last alert, at the event time the backtest lists', async () => {
    const receiver = await startReceiver();
    try {
      const { r, log, backtest, home } = await replay(receiver.url, 'ok', { PAYOPS_SECRET_TEAM_CHAT: `${receiver.url}/chat/${TOKEN}` });
      expect(r.code).toBe(0);
      const sent = log.filter((e) => e.outcome === 'sent').map((e) => [e.eventAt, e.contactPoint, e.status]);
      // (the two contact points deliver in parallel: their rows interleave in any order)
      expect(sent.map((s) => s.slice(1).join(' ')).sort()).toEqual(['chat firing', 'chat resolved', 'oncall firing', 'oncall resolved']);
      expect(sent.filter((s) => s[1] === 'oncall').map((s) => s[2])).toEqual(['firing', 'resolved']);
      expect([...sent].sort()).toEqual(backtest.map((w) => [w.at, w.contactPoint, w.status]).sort());
      expect(receiver.requests).toHaveLength(4);
      expect(r.stderr).toContain('notifications: 4 messages delivered');
      expect(r.stderr + r.stdout).not.toContain('secretTOKEN');
      expect(filesContaining(home, 'secretTOKEN')).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 180_000);

  it('a receiver answering 500 and a missing secret: warned at the start, every attempt made, each final failure on stderr; no token anywhere', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 500 });
    try {
      const { r, log, home } = await replay(receiver.url, 'fail', { PAYOPS_SECRET_TEAM_CHAT: '' });
      expect(r.code).toBe(0);
      const lines = r.stderr.split('\n').map((l) => l.replace(/^\S+ /, ''));
      expect(lines).toContain(
        'contact point "chat" cannot deliver: secret "team-chat" is not set (secret store, or PAYOPS_SECRET_TEAM_CHAT in the environment); its notifications will be logged failed',
      );
      expect(lines.filter((l) => l.startsWith('notification not delivered to contact point "oncall"'))).toEqual([
        'notification not delivered to contact point "oncall" (webhook, firing declines) after 3 of 3 attempts: HTTP 500; the receiver answered: "error"',
        'notification not delivered to contact point "oncall" (webhook, resolved declines) after 3 of 3 attempts: HTTP 500; the receiver answered: "error"',
      ]);
      expect(lines.filter((l) => l.startsWith('notification not delivered to contact point "chat"'))).toHaveLength(2);
      expect(lines.some((l) => /^notifications: 4 of 4 messages not delivered \(4 failed after their attempts, 0 not sent before the end\)/.test(l))).toBe(true);
      // every message got its 3 attempts (the replay waited for the retries)
      expect(log.filter((e) => e.contactPoint === 'oncall').map((e) => [e.status, e.attempt, e.final])).toEqual([
        ['firing', 1, false],
        ['firing', 2, false],
        ['firing', 3, true],
        ['resolved', 1, false],
        ['resolved', 2, false],
        ['resolved', 3, true],
      ]);
      expect(receiver.requests).toHaveLength(6);
      expect(r.stderr + r.stdout).not.toContain('secretTOKEN');
      expect(r.stderr).not.toContain('127.0.0.1');
      expect(filesContaining(home, 'secretTOKEN')).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
