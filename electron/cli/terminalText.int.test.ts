// The text output of the database commands (`alerts`, `backtest`, the `replay`
// diagnostics) prints values that came from events: a merchant id, the reason a capture line was
// quarantined. A value with terminal control sequences (ESC, BEL, C1), a
// bidirectional override or a line break must reach the operator's terminal as visible text,
// not clear the screen, retitle the window, reorder the line or forge a table row. --json reads
// back the same values, those characters written as \uXXXX escapes. Runs the built CLI
// (`npm run build:core` first) on real files.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-terminal-text-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);
const MERCHANT = 'm\u001b[2J\u001b]0;owned\u0007\u202ebad\nFAKE ROW';
/** Looks like m_1012 on a terminal: a zero-width space, a soft hyphen and an invisible tag character. */
const LOOKALIKE = 'm_10\u200b1\u00ad2\u{e0041}';
/** Two columns per ideograph, none for a combining accent. */
const WIDE = '商户e\u0301';
/** C1 controls (CSI, NEL) and bidi isolates and embeddings, which JSON.stringify leaves raw, and a line separator. */
const C1_BIDI = 'm_\u009b2J\u0085\u2066x\u2069\u202a\u2028y\u009f';
/** A merchant id as long as the events allow. */
const LONG = `m_${'L'.repeat(4998)}`;
/** Raw control characters (a line break only between lines) and bidi controls: nothing of these may reach the terminal. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const capture = path.join(dir, 'hostile.ndjson');
const rules = path.join(dir, 'rules.yaml');
const db = path.join(dir, 'replay.db');
let replay: Awaited<ReturnType<typeof runPayops>>;

beforeAll(async () => {
  const lines: string[] = [];
  for (let i = 0; i < 900; i++) {
    const s = i / 10;
    const spike = s >= 30 && s < 60;
    const e = paymentEvent(spike ? 'payment.declined' : 'payment.authorized', {}, { merchantId: [MERCHANT, LOOKALIKE, WIDE, LONG, C1_BIDI][i % 5] });
    lines.push(JSON.stringify({ ...e, time: new Date(T0 + i * 100).toISOString() }));
  }
  // Not JSON: the parser's message quotes the line, control characters and all.
  lines.push('\u001b]0;pwned\u0007\u001b[2J{not json');
  fs.writeFileSync(capture, `${lines.join('\n')}\n`);
  fs.writeFileSync(
    rules,
    `rules:
  - { name: merchant-declines, description: A merchant declines., severity: critical, metric: decline_rate, condition: { above: 50% }, window: 10s, minVolume: 10, groupBy: merchant }
`,
  );
  replay = await runPayops(['replay', capture, '--db', db, '--rules', rules]);
}, 120_000);

const expectVisible = (text: string) => {
  expect(text).not.toMatch(RAW);
  expect(text.split('\n').some((l) => l.startsWith('FAKE ROW'))).toBe(false);
};

describe('text output of values that came from events', () => {
  it('replay: the quarantine reason of a capture line and the alert notifications are logged escaped', () => {
    // The capture's last line is unreadable: the replay says so (exit 1, incomplete or not).
    expect(replay.stderr).toContain('(quarantined)');
    expect(replay.stderr).toContain('\\u001b]0;pwned\\u0007');
    expectVisible(replay.stderr);
    expectVisible(replay.stdout);
  });

  it('alerts: a merchant label in the summary is escaped, one line per alert', async () => {
    const r = await runPayops(['alerts', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('merchant-declines');
    expect(r.stdout).toContain('m\\u001b[2J\\u001b]0;owned\\u0007\\u202ebad\\u000aFAKE ROW');
    expectVisible(r.stdout);
    // Invisible characters are shown, so the look-alike cannot pass for merchant m_1012.
    expect(r.stdout).toContain('merchant=m_10\\u200b1\\u00ad2\\udb40\\udc41');
    expect(r.stdout).not.toMatch(/[\u00ad\u200b]|\u{e0041}/u);
    // --json unchanged: the value as the event carried it.
    const json = lastJson<{ labels: Record<string, string> }[]>((await runPayops(['alerts', '--db', db, '--json'])).stdout);
    expect(json.map((a) => a.labels.merchant).sort()).toEqual([LOOKALIKE, MERCHANT, WIDE, LONG, C1_BIDI].sort());
  });

  it('alerts: the columns line up under wide, combining and very long values', async () => {
    const r = await runPayops(['alerts', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    // Where PEAK's column starts on the terminal: ideographs take two columns, accents none.
    const columns = (s: string) => [...s.normalize('NFD')].reduce((n, c) => n + (/\p{M}/u.test(c) ? 0 : /[\u4e00-\u9fff]/u.test(c) ? 2 : 1), 0);
    const rows = r.stdout.split('\n').filter((l) => l.includes('merchant-declines'));
    // A very long merchant id is shortened in its column (its summary, the last, keeps it whole):
    // it does not push every other row's PEAK and SUMMARY thousands of columns right.
    expect(r.stdout.split('\n')[0].length).toBeLessThan(200);
    expect(rows.filter((l) => !l.includes('LLLL')).every((l) => l.length < 400)).toBe(true);
    expect(rows.find((l) => l.includes('LLLL'))).toContain(`for merchant ${LONG},`);
    expect(rows).toHaveLength(5);
    const peak = (l: string) => columns(l.slice(0, l.indexOf('100 %')));
    const head = r.stdout.split('\n')[0];
    expect(rows.map(peak)).toEqual(rows.map(() => head.indexOf('PEAK')));
  });

  it('backtest: the alert table over the capture and over the stored range is escaped', async () => {
    for (const args of [[capture], ['--db', db]]) {
      const r = await runPayops(['backtest', '--rules', rules, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('\\u001b[2J');
      expectVisible(r.stdout);
    }
  });
});

describe('--json output of values that came from events', () => {
  /** What JSON.stringify leaves raw that a terminal acts on or that reorders or hides text. */
  const RAW_IN_JSON = /[\u007f-\u009f\u200b\u00ad\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

  it('alerts, backtest and report --json write C1 and bidi controls as \\uXXXX, and the JSON reads back the same values', async () => {
    const alerts = await runPayops(['alerts', '--db', db, '--json']);
    const backtest = await runPayops(['backtest', '--rules', rules, capture, '--json']);
    const report = await runPayops(['report', '--db', db, '--from', new Date(T0).toISOString(), '--to', new Date(T0 + 90_000).toISOString(), '--json', '--no-mask']);
    for (const [label, r] of [['alerts', alerts], ['backtest', backtest], ['report', report]] as const) {
      expect(r.code, `${label}: ${r.stderr}`).toBe(0);
      expect(r.stdout, label).not.toMatch(RAW_IN_JSON);
      expect(r.stdout, label).toContain('m_\\u009b2J\\u0085\\u2066x\\u2069\\u202a\\u2028y\\u009f');
    }
    const merchants = lastJson<{ labels: Record<string, string> }[]>(alerts.stdout).map((a) => a.labels.merchant);
    expect(merchants).toContain(C1_BIDI);
    expect(merchants).toContain(LOOKALIKE);
    const backtested = lastJson<{ alerts: { labels: Record<string, string> }[] }>(backtest.stdout).alerts.map((a) => a.labels.merchant);
    expect(backtested).toContain(C1_BIDI);
    expect(JSON.stringify(lastJson(report.stdout))).toContain(JSON.stringify(C1_BIDI).slice(1, -1));
  });
});
