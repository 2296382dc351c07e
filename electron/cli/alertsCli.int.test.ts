// `payops alerts` and `payops backtest` as an operator runs them (the built CLI: run
// `npx tsc -p tsconfig.json` first), on real files: a simulated decline-spike capture,
// replayed into a database, backtested from the capture and from the stored range.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../core/sim/trafficGenerator';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-alerts-cli-');
const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const capture = path.join(dir, 'decline-spike.ndjson');
const rulesFile = path.resolve(__dirname, '../../e2e/fixtures/decline-rules.yaml');
const db = path.join(dir, 'replay.db');

interface AlertJson {
  key: string;
  rule: string;
  severity: string;
  labels: Record<string, string>;
  firedAt: string | null;
  resolvedAt: string | null;
  peakValue: number | null;
  transitions: { state: string; at: string }[];
}

beforeAll(async () => {
  // 90 s at 200 events/s: normal for 20 s, a decline spike for 30 s, normal again.
  const gen = createTrafficGenerator({ seed: 7, scenario: 'decline-spike', startMs: START, rate: 200, timings: { anomalyStartMs: 20_000, anomalyDurationMs: 30_000 } });
  const lines: string[] = [];
  while (gen.nextTimeMs() < START + 90_000) lines.push(JSON.stringify(gen.next()));
  fs.writeFileSync(capture, `${lines.join('\n')}\n`);
  const replay = await runPayops(['replay', capture, '--db', db, '--rules', rulesFile, '--json']);
  expect(replay.code, replay.stderr).toBe(0);
}, 120_000);

describe('payops alerts', () => {
  it('prints the alert history of a replay as a JSON array with ISO times and transitions', async () => {
    const run = await runPayops(['alerts', '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const alerts = lastJson<AlertJson[]>(run.stdout);
    expect(alerts).toHaveLength(1);
    const a = alerts[0];
    expect(a).toMatchObject({ rule: 'decline-rate-high', severity: 'critical', labels: {} });
    expect(Date.parse(a.firedAt!)).toBeGreaterThan(START + 20_000);
    expect(Date.parse(a.firedAt!)).toBeLessThan(START + 50_000);
    expect(Date.parse(a.resolvedAt!)).toBeGreaterThan(START + 50_000);
    expect(a.peakValue).toBeGreaterThan(0.15);
    expect(a.transitions.map((t) => t.state)).toEqual(['pending', 'firing', 'resolved']);
    expect(a.transitions.every((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(t.at))).toBe(true);
  });

  it('gives identical histories for two replays of the same capture (cut into different batches)', async () => {
    const again = path.join(dir, 'replay-again.db');
    const replay = await runPayops(['replay', capture, '--db', again, '--rules', rulesFile, '--batch-size', '137', '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    const first = (await runPayops(['alerts', '--db', db, '--json', '--all'])).stdout;
    const second = (await runPayops(['alerts', '--db', again, '--json', '--all'])).stdout;
    expect(lastJson(second)).toEqual(lastJson(first));
  });

  it('prints a readable table, and an empty history for a database without alerts', async () => {
    const run = await runPayops(['alerts', '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/FIRED\s+RESOLVED\s+SEVERITY\s+RULE/);
    expect(run.stdout).toMatch(/critical\s+decline-rate-high/);
    const none = await runPayops(['alerts', '--db', db, '--rule', 'no-such-rule', '--json']);
    expect(lastJson(none.stdout)).toEqual([]);
    const missing = await runPayops(['alerts', '--db', path.join(dir, 'missing.db'), '--json']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no database at/);
  });
});

describe('payops backtest', () => {
  it('over the capture lists what the replay fired, at the same times', async () => {
    const replayed = lastJson<AlertJson[]>((await runPayops(['alerts', '--db', db, '--json'])).stdout);
    const run = await runPayops(['backtest', '--rules', rulesFile, capture, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = lastJson<{ rules: string[]; events: number; fired: number; alerts: AlertJson[]; notifications: { kind: string; at: string }[] }>(run.stdout);
    expect(out.rules).toEqual(['decline-rate-high']);
    expect(out.events).toBeGreaterThan(15_000);
    expect(out.fired).toBe(1);
    const pick = (a: AlertJson) => ({ rule: a.rule, firedAt: a.firedAt, resolvedAt: a.resolvedAt, peakValue: a.peakValue, transitions: a.transitions });
    expect(out.alerts.map(pick)).toEqual(replayed.map(pick));
    expect(out.notifications.map((n) => n.kind)).toEqual(['firing', 'resolved']);
  });

  it('over a stored range (read-only) gives the same answer, and nothing outside the spike', async () => {
    const before = fs.statSync(db).mtimeMs;
    const from = new Date(START).toISOString();
    const to = new Date(START + 90_000).toISOString();
    const run = await runPayops(['backtest', '--rules', rulesFile, '--db', db, '--from', from, '--to', to, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = lastJson<{ fired: number; alerts: AlertJson[]; input: { truncated: string | null } }>(run.stdout);
    expect(out.fired).toBe(1);
    expect(out.input.truncated).toBeNull();
    expect(fs.statSync(db).mtimeMs).toBe(before);
    // The first 20 s are normal traffic: nothing would have fired.
    const quiet = await runPayops(['backtest', '--rules', rulesFile, '--db', db, '--from', from, '--to', new Date(START + 20_000).toISOString(), '--json']);
    expect(lastJson<{ fired: number }>(quiet.stdout).fired).toBe(0);
    // A limit on events is reported, not silent.
    const capped = await runPayops(['backtest', '--rules', rulesFile, '--db', db, '--max-events', '1000', '--json']);
    expect(lastJson<{ input: { truncated: string } }>(capped.stdout).input.truncated).toMatch(/stopped after 1,000 events/);
    const table = await runPayops(['backtest', '--rules', rulesFile, '--db', db]);
    expect(table.stdout).toMatch(/backtest of 1 rule over .*replay\.db/);
    expect(table.stdout).toMatch(/decline-rate-high/);
  });

  it('names the rule and the field of every problem in a bad rules file, and exits 1', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      [
        'rules:',
        '  - name: decline-rate-high',
        '    description: x',
        '    severity: critical',
        '    metric: decline_rate',
        '    condition: { above: 15% }',
        '    window: 20 seconds',
        '  - name: second',
        '    description: y',
        '    severity: urgent',
        '    metric: decline_rate',
        '    condition: { above: 1 }',
        '    window: 1m',
        '',
      ].join('\n'),
    );
    const run = await runPayops(['backtest', '--rules', bad, capture, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(bad);
    expect(run.stderr).toMatch(/rule "decline-rate-high" \(rules\[0\]\) field window: must be a duration/);
    expect(run.stderr).toMatch(/rule "second" \(rules\[1\]\) field severity: must be critical, warning or info/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);

    const syntax = path.join(dir, 'syntax.yaml');
    fs.writeFileSync(syntax, 'rules:\n  - name: [unclosed\n');
    const s = await runPayops(['backtest', '--rules', syntax, capture]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/not valid YAML at line \d+/);

    const wrongExt = await runPayops(['backtest', '--rules', path.join(dir, 'rules.txt'), capture]);
    expect(wrongExt.code).toBe(1);
    expect(wrongExt.stderr).toMatch(/unsupported extension/);
  });

  it('reports bad input clearly', async () => {
    const missing = await runPayops(['backtest', path.join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot open/);
    const both = await runPayops(['backtest', capture, '--db', db]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/either a capture file or --db/);
    const badTime = await runPayops(['backtest', '--db', db, '--from', 'yesterday']);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toMatch(/--from must be an ISO 8601 time/);
  });
});
