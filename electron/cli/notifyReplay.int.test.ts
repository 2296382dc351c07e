// payops replay never delivers to contact points unless --deliver: without it the log says
// "would_notify" and a real receiver on loopback sees nothing; with it the receiver gets the
// messages and the log says "sent".
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { declineSpikeCapture } from '../../test/support/declineSpikeCapture';
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

const capture = (file: string) => declineSpikeCapture(file, T0);

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

  it('burn-rate rules run in the engine: a replayed fast burn would page and ticket (logged, not delivered)', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'burn-'));
    const rules = path.join(home, 'rules.yaml');
    fs.writeFileSync(
      rules,
      `rules: []
burnRates:
  - { name: approval-slo, objective: 99.9%, minVolume: 100 }
contactPoints:
  - { name: oncall, type: webhook, urlSecret: oncall }
defaultPolicy: { contactPoint: oncall, groupBy: [slo, burn_window], groupWait: 0s }
`,
    );
    // 10 minutes at 10 attempts a second, one in 20 declined: a 50x burn of a 99.9 % objective.
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const e = paymentEvent(i % 20 === 0 ? 'payment.declined' : 'payment.authorized');
      lines.push(JSON.stringify({ ...e, time: new Date(T0 + i * 100).toISOString() }));
    }
    const file = path.join(home, 'burn.ndjson');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const db = path.join(home, 'burn.db');
    const r = await runPayops(['replay', file, '--db', db, '--rules', rules, '--json'], { PAYOPS_HOME: home }, 120_000);
    expect(r.code).toBe(0);
    const log = JSON.parse((await runPayops(['notifications', '--db', db, '--json'])).stdout) as NotificationLogJson[];
    expect(log.map((e) => [e.outcome, e.status, e.groupLabels.burn_window, e.alerts[0].severity])).toEqual([
      ['would_notify', 'firing', '1h/5m', 'critical'],
      ['would_notify', 'firing', '6h/30m', 'warning'],
    ]);
    expect(log[0].alerts[0].summary).toMatch(/^FIRING approval-slo: burn 50\.0x over 1h and 50\.0x over 5m .*error budget remaining/);
  }, 150_000);
});
