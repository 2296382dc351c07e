// payops replay never delivers to contact points unless --deliver: without it the log says
// "would_notify" and a real receiver on loopback sees nothing; with it the receiver gets the
// messages and the log says "sent".
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { runPayops } from '../../test/support/cli';
import { startReceiver } from '../../test/support/httpReceiver';
import { tempDir } from '../../test/support/tempDir';
import type { NotificationLogJson } from '../../shared/notifications';

const dir = tempDir('payops-notify-replay-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);

const RULES = `
rules:
  - { name: declines, description: Declines spike., severity: critical, metric: decline_rate, condition: { above: 50% }, window: 10s, minVolume: 10 }
contactPoints:
  - { name: oncall, type: webhook, urlSecret: oncall, maxAttempts: 1 }
defaultPolicy: { contactPoint: oncall, groupWait: 5s, groupInterval: 10s }
`;

function capture(file: string): string {
  // 30 s authorized, 30 s declined, 30 s authorized: 10 a second.
  const lines: string[] = [];
  for (let i = 0; i < 900; i++) {
    const s = i / 10;
    const e = paymentEvent(s >= 30 && s < 60 ? 'payment.declined' : 'payment.authorized');
    lines.push(JSON.stringify({ ...e, time: new Date(T0 + i * 100).toISOString() }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('payops replay and contact points', () => {
  it.each([
    ['without --deliver: would_notify only, nothing reaches the receiver', false],
    ['with --deliver: the receiver gets firing and resolved', true],
  ])('%s', async (_what, deliver) => {
    const receiver = await startReceiver();
    try {
      const home = fs.mkdtempSync(path.join(dir, 'r-'));
      const rules = path.join(home, 'rules.yaml');
      fs.writeFileSync(rules, RULES);
      const db = path.join(home, 'replay.db');
      const r = await runPayops(['replay', capture(path.join(home, 'c.ndjson')), '--db', db, '--rules', rules, '--json', ...(deliver ? ['--deliver'] : [])], {
        PAYOPS_SECRET_ONCALL: `${receiver.url}/hook`,
        PAYOPS_HOME: home,
      });
      expect(r.code).toBe(0);
      const log = JSON.parse((await runPayops(['notifications', '--db', db, '--json'])).stdout) as NotificationLogJson[];
      expect(log.map((e) => [e.outcome, e.status, e.rule])).toEqual([
        [deliver ? 'sent' : 'would_notify', 'firing', 'declines'],
        [deliver ? 'sent' : 'would_notify', 'resolved', 'declines'],
      ]);
      expect(receiver.requests.map((q) => (q.body as { status: string }).status)).toEqual(deliver ? ['firing', 'resolved'] : []);
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
