// The CLI's listings printed what a database stored as it was: `payops alerts` (text and
// --json) showed a merchant id that is a card number, or an e-mail address, whole in the alert's
// labels, group, key and summary, where `payops report` masks them; so did `notifications`,
// `backtest`, `explain` (segment values, a card BIN whole where the report's explanation shows
// "42****") and `stats` (event types). `payops replay --json` printed a bad line's parse error,
// which quotes the line, card number and all. Now each is masked as exports mask it; --no-mask
// prints what is stored. Runs the built CLI (`npm run build:core` first) on real SQLite files.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import type { NotificationLogEntry } from '../../shared/notifications';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { openNotificationLog } from '../core/store/notificationLogRepository';

const dir = tempDir('payops-listing-masking-');
const T0 = Date.UTC(2026, 11, 7, 6, 0, 0);
const PAN = '4111111111111111';
const EMAIL = 'ops.alice@example.com';
const MERCHANTS = [PAN, EMAIL, 'm_plain'];
const db = path.join(dir, 'cards.db');
const capture = path.join(dir, 'cards.ndjson');
const rules = path.join(dir, 'rules.yaml');
/** Nothing of the card but its first two and last four digits, and no e-mail address. */
const leaks = (text: string) => [PAN, '4111 1111 1111 1111', EMAIL, '411111'].filter((v) => text.includes(v));
let replay: Awaited<ReturnType<typeof runPayops>>;

beforeAll(async () => {
  // 4 minutes at 5 a second: the card-number and e-mail merchants decline in the third minute, the plain one never.
  const lines: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const merchantId = MERCHANTS[i % 3];
    const s = i / 5;
    const declined = s >= 120 && s < 180 && merchantId !== 'm_plain';
    const e = paymentEvent(declined ? 'payment.declined' : 'payment.authorized', {}, { merchantId, cardBin: '411111' });
    lines.push(JSON.stringify({ ...e, time: new Date(T0 + i * 200).toISOString() }));
  }
  lines.push(`tok ${PAN}`);
  fs.writeFileSync(capture, `${lines.join('\n')}\n`);
  fs.writeFileSync(
    rules,
    `rules:
  - { name: merchant-declines, description: A merchant declines., severity: critical, metric: decline_rate, condition: { above: 50% }, window: 10s, minVolume: 10, groupBy: merchant }
`,
  );
  replay = await runPayops(['replay', capture, '--db', db, '--rules', rules, '--json']);
}, 120_000);

describe('payops listings', () => {
  it('replay --json: a bad line\'s error is masked as the log line is', () => {
    expect(replay.code, replay.stderr).toBe(0);
    const summary = lastJson<{ badLineSamples: { error: string }[] }>(replay.stdout);
    expect(summary.badLineSamples).toHaveLength(1);
    expect(summary.badLineSamples[0].error).toContain('41**********1111');
    expect(leaks(replay.stdout)).toEqual([]);
  });

  it('alerts: labels, group, key and summary masked as the report masks them, in text and JSON', async () => {
    const json = await runPayops(['alerts', '--db', db, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const alerts = lastJson<{ key: string; labels: Record<string, string>; group: string; summary: string }[]>(json.stdout);
    expect(alerts.map((a) => a.labels.merchant).sort()).toEqual(['***', '41**********1111']);
    expect(alerts.map((a) => a.group).sort()).toEqual(['merchant=***', 'merchant=41**********1111']);
    expect(alerts.some((a) => a.summary.includes('for merchant 41**********1111'))).toBe(true);
    expect(leaks(json.stdout)).toEqual([]);
    const text = await runPayops(['alerts', '--db', db]);
    expect(text.stdout).toContain('merchant=41**********1111');
    expect(leaks(text.stdout)).toEqual([]);
    // The report shows the same alerts the same way.
    const report = await runPayops(['report', '--db', db, '--json', '--quiet']);
    const reported = lastJson<{ alerts: { group: string; summary: string }[] }>(report.stdout).alerts;
    expect(reported.map((a) => a.group).sort()).toEqual(alerts.map((a) => a.group).sort());
    expect(reported.map((a) => a.summary).sort()).toEqual(alerts.map((a) => a.summary).sort());
    // --no-mask: as stored (the key a report's --alert takes).
    const raw = lastJson<{ key: string; labels: Record<string, string> }[]>((await runPayops(['alerts', '--db', db, '--json', '--no-mask'])).stdout);
    expect(raw.map((a) => a.labels.merchant).sort()).toEqual([EMAIL, PAN].sort());
    const byKey = await runPayops(['report', '--db', db, '--json', '--quiet', '--alert', raw[0].key]);
    expect(byKey.code, byKey.stderr).toBe(0);
  });

  it('backtest: the alerts and notifications it lists masked', async () => {
    for (const args of [['--json'], []]) {
      const run = await runPayops(['backtest', '--rules', rules, capture, ...args]);
      expect(run.stdout).toContain('41**********1111');
      expect(leaks(run.stdout), args.join(' ')).toEqual([]);
    }
  });

  it('explain: segment values masked as the report\'s explanation masks them, card BINs shown as stored', async () => {
    const window = ['--from', new Date(T0 + 120_000).toISOString(), '--to', new Date(T0 + 180_000).toISOString(), '--baseline-from', new Date(T0).toISOString(), '--baseline-to', new Date(T0 + 120_000).toISOString()];
    const json = await runPayops(['explain', '--db', db, ...window, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const e = lastJson<{ contributors: { dimension: string; value: string }[] }>(json.stdout);
    const merchants = e.contributors.filter((c) => c.dimension === 'merchantId').map((c) => c.value);
    expect(merchants).toContain('41**********1111');
    expect(merchants).toContain('***');
    // A BIN is triage's segment, named and searched for by its six digits: no card number.
    expect(e.contributors.filter((c) => c.dimension === 'cardBin').map((c) => c.value)).toContain('411111');
    const notBin = (text: string) => leaks(text).filter((v) => v !== '411111');
    expect(notBin(json.stdout)).toEqual([]);
    const text = await runPayops(['explain', '--db', db, ...window]);
    expect(text.stdout).toContain('merchantId=41**********1111');
    expect(text.stdout).toContain('cardBin=411111');
    expect(notBin(text.stdout)).toEqual([]);
    const raw = await runPayops(['explain', '--db', db, ...window, '--no-mask']);
    expect(raw.stdout).toContain(`merchantId=${PAN}`);
  });

  it('notifications: labels, summaries, group keys and errors masked', async () => {
    const logDb = path.join(dir, 'notifications.db');
    fs.copyFileSync(db, logDb);
    const log = openNotificationLog(logDb);
    const entry: Omit<NotificationLogEntry, 'id'> = {
      at: T0, eventAt: T0, contactPoint: 'oncall-hook', contactType: 'webhook', outcome: 'failed', status: 'firing',
      groupKey: `0:oncall-hook:{merchant="${PAN}"}`, groupLabels: { merchant: PAN }, rule: 'merchant-declines',
      alerts: [{ rule: 'merchant-declines', severity: 'critical', status: 'firing', labels: { merchant: PAN, owner: EMAIL }, fingerprint: 'fp-1', startsAt: T0, endsAt: null, summary: `decline rate 60 % for merchant ${PAN}` }],
      attempt: 1, maxAttempts: 3, final: false, httpStatus: 400, error: `HTTP 400: bad merchant ${PAN}, owner ${EMAIL}`, durationMs: 4,
    };
    log.log.append(entry);
    log.close();
    for (const args of [['--json'], []]) {
      const run = await runPayops(['notifications', '--db', logDb, ...args]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('41**********1111');
      expect(leaks(run.stdout), args.join(' ')).toEqual([]);
    }
  });

  it('stats: an event type holding a card number masked, its count kept', async () => {
    const typed = path.join(dir, 'typed.ndjson');
    const e = paymentEvent('payment.authorized', {}, { merchantId: 'm_1' });
    fs.writeFileSync(typed, `${JSON.stringify({ ...e, type: `payment.note.${PAN}`, time: new Date(T0).toISOString() })}\n${JSON.stringify({ ...e, id: 'e-2', time: new Date(T0 + 1).toISOString() })}\n`);
    const typedDb = path.join(dir, 'typed.db');
    const r = await runPayops(['replay', typed, '--db', typedDb, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const raw = lastJson<{ byType: Record<string, number> }>((await runPayops(['stats', '--db', typedDb, '--json', '--no-mask'])).stdout);
    expect(raw.byType[`payment.note.${PAN}`]).toBe(1);
    const json = await runPayops(['stats', '--db', typedDb, '--json']);
    expect(lastJson<{ byType: Record<string, number> }>(json.stdout).byType['payment.note.41**********1111']).toBe(1);
    const text = await runPayops(['stats', '--db', typedDb]);
    expect(text.stdout).toContain('payment.note.41**********1111');
    expect(leaks(json.stdout + text.stdout)).toEqual([]);
  });
});
