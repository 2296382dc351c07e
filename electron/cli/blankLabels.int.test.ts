// A merchant id (or another label value) made only of whitespace prints as nothing in text
// output: `merchant= ` in the GROUP column, `merchant=  55 %` in explain's contributors. Text
// output quotes such a value (`merchant=" "`, a no-break space escaped: `"\u00a0"`), so it is seen
// and cannot pass for another blank one; --json keeps the value as the event carried it. Runs the
// built CLI (`npm run build:core` first) on real files.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { explanationText } from './commands/explainCommand';
import type { Explanation } from '../../shared/triage';

const dir = tempDir('payops-blank-labels-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);
const BLANKS = [' ', '\u00a0', '  '];
const capture = path.join(dir, 'blank.ndjson');
const rules = path.join(dir, 'rules.yaml');
const db = path.join(dir, 'replay.db');

beforeAll(async () => {
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) {
    const s = i / 10;
    const spike = s >= 20 && s < 50;
    const e = paymentEvent(spike ? 'payment.declined' : 'payment.authorized', {}, { merchantId: BLANKS[i % BLANKS.length] });
    lines.push(JSON.stringify({ ...e, time: new Date(T0 + i * 100).toISOString() }));
  }
  fs.writeFileSync(capture, `${lines.join('\n')}\n`);
  fs.writeFileSync(
    rules,
    `rules:
  - { name: merchant-declines, description: A merchant declines., severity: critical, metric: decline_rate, condition: { above: 50% }, window: 10s, minVolume: 10, groupBy: merchant }
`,
  );
  const r = await runPayops(['replay', capture, '--db', db, '--rules', rules]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('blank label values in text output', () => {
  it('alerts: a whitespace-only merchant id is quoted in the GROUP column; --json unchanged', async () => {
    const r = await runPayops(['alerts', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.includes('merchant-declines'));
    expect(rows).toHaveLength(3);
    expect(r.stdout).toContain('merchant=" "');
    expect(r.stdout).toContain('merchant="  "');
    expect(r.stdout).toContain('merchant="\\u00a0"');
    expect(r.stdout).not.toMatch(/merchant=\s/);
    // (The SUMMARY column's text is composed by the engine: "for merchant  " there is left as is.)
    const json = lastJson<{ labels: Record<string, string>; group: string }[]>((await runPayops(['alerts', '--db', db, '--json'])).stdout);
    expect(json.map((a) => a.labels.merchant).sort()).toEqual([...BLANKS].sort());
  });

  it('explain: a blank contributor value is quoted, an empty one too, and one starting with a quote', () => {
    const side = { from: 'a', to: 'b', value: 0.5, attempts: 10 };
    const contributor = (value: string) => ({
      dimension: 'merchant', value, significant: true, effect: 'rate',
      window: { value: 0.9, attempts: 10 }, baseline: { value: 0.1, attempts: 10 }, contribution: 0.3, rateEffect: 0.3, mixEffect: 0,
    });
    const text = explanationText({
      headline: 'h', window: side, baseline: side, declineCodes: [],
      contributors: [contributor(' '), contributor(''), contributor('m_1'), contributor('" "')],
    } as unknown as Explanation);
    expect(text).toContain('  merchant=" "  90');
    expect(text).toContain('  merchant=""  90');
    expect(text).toContain('  merchant=m_1  90');
    // A merchant id that is itself a quoted blank cannot pass for a blank one.
    expect(text).toContain('  merchant="\\" \\""  90');
  });
});
