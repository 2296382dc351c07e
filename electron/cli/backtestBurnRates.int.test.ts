// `payops backtest --rules FILE` on a rules file with burn-rate (SLO) rules: the backtest must
// list the pages those rules raise, as `payops replay` of the same capture logs them, since
// operators backtest a rules file to learn what it would have paged.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import type { NotificationLogJson } from '../../shared/notifications';

const dir = tempDir('payops-backtest-burn-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);

// 90 % of attempts approved is the objective (a 10 % budget); 2x over 5 min and 1 min pages.
const RULES = `
rules:
  - { name: declines, description: Declines spike., severity: critical, metric: decline_rate, condition: { above: 90% }, window: 10s, minVolume: 10 }
burnRates:
  - name: approval-slo
    objective: 90%
    groupBy: country
    windows:
      - { severity: critical, factor: 2, long: 5m, short: 1m }
contactPoints:
  - { name: oncall, type: webhook, urlSecret: oncall }
defaultPolicy: { contactPoint: oncall, groupBy: [alertname], groupWait: 10s, groupInterval: 1m }
`;

/** 9 minutes of 5 payments a second in DE; from minute 2 to minute 6 half of them declined. */
function burnCapture(file: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 9 * 60 * 5; i++) {
    const s = i / 5;
    const declined = s >= 120 && s < 360 && i % 2 === 0;
    const e = paymentEvent(declined ? 'payment.declined' : 'payment.authorized', {}, { country: 'DE' });
    lines.push(JSON.stringify({ ...e, time: new Date(T0 + i * 200).toISOString() }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('payops backtest with burn-rate rules', () => {
  it('lists the burn-rate pages and their routing, as a replay of the same capture logs them', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'slo-'));
    const rules = path.join(home, 'rules.yaml');
    fs.writeFileSync(rules, RULES);
    const capture = burnCapture(path.join(home, 'c.ndjson'));
    const db = path.join(home, 'replay.db');
    const replay = await runPayops(['replay', capture, '--db', db, '--rules', rules], { PAYOPS_HOME: home }, 120_000);
    expect(replay.code).toBe(0);
    const log = JSON.parse((await runPayops(['notifications', '--db', db, '--json'])).stdout) as NotificationLogJson[];
    const replayed = log.filter((e) => e.outcome === 'would_notify').map((e) => [e.eventAt, e.contactPoint, e.status, e.rule]);
    expect(replayed.filter((r) => r[3] === 'approval-slo').map((r) => r[2])).toEqual(['firing', 'resolved']);
    // The page is in the alert history too, as every other alert is: when it fired and resolved.
    const history = JSON.parse((await runPayops(['alerts', '--db', db, '--json'])).stdout) as { rule: string; severity: string; group: string; state: string; firedAt: string | null; resolvedAt: string | null }[];
    const slo = history.filter((h) => h.rule === 'approval-slo');
    expect(slo.map((h) => [h.severity, h.group, h.state])).toEqual([['critical', 'country=DE', 'resolved']]);
    // Half declined from minute 2 burns 5x the 10 % budget: the 5-minute window reaches 2x at
    // minute 4 (2 of 5 minutes at 50 %); declines stop at minute 6, the 1-minute window is clean
    // at minute 7. The messages went out after the policy's groupWait and groupInterval.
    expect([slo[0].firedAt, slo[0].resolvedAt]).toEqual([new Date(T0 + 4 * 60_000).toISOString(), new Date(T0 + 7 * 60_000).toISOString()]);

    const bt = await runPayops(['backtest', '--rules', rules, capture, '--json'], { PAYOPS_HOME: home }, 120_000);
    expect(bt.code).toBe(0);
    const out = JSON.parse(bt.stdout) as {
      notifications: { kind: string; rule: string; labels: Record<string, string> }[];
      routing: { wouldNotify: { at: string; contactPoint: string; status: string; rules: string }[]; timeToFirstPage: { rule: string; seconds: number | null }[] };
    };
    expect(out.notifications.filter((n) => n.rule === 'approval-slo').map((n) => [n.kind, n.labels.country, n.labels.burn_window])).toEqual([
      ['firing', 'DE', '5m/1m'],
      ['resolved', 'DE', '5m/1m'],
    ]);
    expect(out.routing.wouldNotify.map((w) => [w.at, w.contactPoint, w.status, w.rules])).toEqual(replayed);
    // a burn-rate page is a critical alert: its time to the first page is counted too
    expect(out.routing.timeToFirstPage.filter((p) => p.rule === 'approval-slo').map((p) => p.seconds)).toEqual([10]);
  }, 180_000);

  it('a replay routes the burn-rate pages on their own event time whatever its batch size (as the backtest does)', async () => {
    // A rule that fires a few ticks after the SLO does, to the same contact point: in one big
    // batch its notification reaches the router before the SLO's, and must not push the SLO
    // group's groupWait to start from its later time.
    const home = fs.mkdtempSync(path.join(dir, 'order-'));
    const rules = path.join(home, 'rules.yaml');
    fs.writeFileSync(rules, RULES.replace('condition: { above: 90% }', 'condition: { above: 30% }'));
    const capture = burnCapture(path.join(home, 'c.ndjson'));
    const logOf = async (batchSize: number) => {
      const db = path.join(home, `replay-${batchSize}.db`);
      const r = await runPayops(['replay', capture, '--db', db, '--rules', rules, '--batch-size', String(batchSize)], { PAYOPS_HOME: home }, 120_000);
      expect(r.code).toBe(0);
      const log = JSON.parse((await runPayops(['notifications', '--db', db, '--json'])).stdout) as NotificationLogJson[];
      return log.filter((e) => e.outcome === 'would_notify').map((e) => [e.eventAt, e.contactPoint, e.status, e.rule]);
    };
    const small = await logOf(50);
    const big = await logOf(100_000);
    const bt = JSON.parse((await runPayops(['backtest', '--rules', rules, capture, '--json'], { PAYOPS_HOME: home }, 120_000)).stdout) as {
      routing: { wouldNotify: { at: string; contactPoint: string; status: string; rules: string }[] };
    };
    expect(small.filter((r) => r[3] === 'approval-slo').map((r) => r[2])).toEqual(['firing', 'resolved']);
    expect(small.filter((r) => r[3] === 'declines')).not.toEqual([]);
    expect(big).toEqual(small);
    expect(bt.routing.wouldNotify.map((w) => [w.at, w.contactPoint, w.status, w.rules])).toEqual(small);
  }, 180_000);
});
