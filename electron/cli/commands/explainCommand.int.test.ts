// `payops explain` as an operator runs it (the built CLI: `npm run build:core` first), on a
// simulated issuer-outage capture replayed into a database by `payops replay`.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '../../../shared/triage';
import { createTrafficGenerator } from '../../core/sim/trafficGenerator';
import { lastJson, runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-explain-cli-');
const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const MINUTE = 60_000;
const capture = path.join(dir, 'issuer-outage.ndjson');
const db = path.join(dir, 'replay.db');
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  const gen = createTrafficGenerator({ seed: 5, scenario: 'issuer-outage', startMs: START, rate: 30, timings: { anomalyStartMs: 12 * MINUTE, anomalyDurationMs: 3 * MINUTE } });
  const lines: string[] = [];
  while (gen.nextTimeMs() < START + 15 * MINUTE) lines.push(JSON.stringify(gen.next()));
  fs.writeFileSync(capture, `${lines.join('\n')}\n`);
  const r = await runPayops(['replay', capture, '--db', db, '--speed', 'max', '--json'], {}, 120_000);
  expect(r.code, r.stderr).toBe(0);
}, 180_000);

describe('payops explain', () => {
  it('--json names issuer tamarind-card first, rate effect, in the documented shape', async () => {
    const r = await runPayops(['explain', '--db', db, '--from', iso(START + 12 * MINUTE), '--to', iso(START + 15 * MINUTE), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const e = lastJson<Explanation>(r.stdout);
    expect(e).toMatchObject({ metric: 'approval-rate', significant: true, window: { from: iso(START + 12 * MINUTE), to: iso(START + 15 * MINUTE) }, baseline: { from: iso(START) } });
    expect(e.window.attempts).toBeGreaterThan(0);
    expect(e.contributors[0]).toMatchObject({ dimension: 'issuer', value: 'tamarind-card', effect: 'rate', significant: true });
    for (const k of ['dimension', 'value', 'effect', 'contribution', 'significant', 'window', 'baseline']) expect(e.contributors[0]).toHaveProperty(k);
    expect(e.declineCodes[0]).toMatchObject({ code: '91', kind: 'soft' });
  });

  it('prints the headline sentence and the contributors in words', async () => {
    const r = await runPayops(['explain', '--db', db, '--from', iso(START + 12 * MINUTE), '--to', iso(START + 15 * MINUTE), '--metric', 'decline-rate']);
    expect(r.code).toBe(0);
    // The BIN as stored: a listing shows BINs (triage names segments by them), with --no-mask or without.
    expect(r.stdout.split('\n')[0]).toMatch(/^decline .* vs .* \(per attempt\): issuer tamarind-card \(BIN 529412\) decline/);
    expect(r.stdout).toMatch(/issuer=tamarind-card/);
    const raw = await runPayops(['explain', '--db', db, '--from', iso(START + 12 * MINUTE), '--to', iso(START + 15 * MINUTE), '--metric', 'decline-rate', '--no-mask']);
    expect(raw.stdout.split('\n')[0]).toMatch(/\(BIN 529412\) decline/);
    // A decline code is said once with its meaning and kind: "91 Issuer or switch inoperative (soft)  N vs M".
    expect(r.stdout).toMatch(/^  91 [A-Z][a-z ]+ \(soft\)  \d+ vs \d+ in the baseline$/m);
  });

  it('a calm window before the outage: nothing significant', async () => {
    const r = await runPayops(['explain', '--db', db, '--from', iso(START + 8 * MINUTE), '--to', iso(START + 10 * MINUTE), '--json']);
    expect(r.code).toBe(0);
    expect(lastJson<Explanation>(r.stdout)).toMatchObject({ significant: false });
  });

  it('a window with no traffic, or no baseline to compare with, says so instead of "nothing significant"', async () => {
    const before = await runPayops(['explain', '--db', db, '--from', iso(START - 60 * MINUTE), '--to', iso(START - 50 * MINUTE)]);
    expect(before.code).toBe(0);
    expect(before.stdout.split('\n')[0]).toMatch(/: no payment attempts in the window to explain$/);
    const first = await runPayops(['explain', '--db', db, '--from', iso(START), '--to', iso(START + 2 * MINUTE)]);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toMatch(/: no payment attempts in the baseline to compare with$/);
  });

  it('refuses a bad metric and a window that ends before it starts, naming the flag (exit 1)', async () => {
    const bad = await runPayops(['explain', '--db', db, '--from', iso(START), '--to', iso(START + MINUTE), '--metric', 'speed']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--metric: must be one of approval-rate, decline-rate, failure-rate/);
    const backwards = await runPayops(['explain', '--db', db, '--from', iso(START + MINUTE), '--to', iso(START)]);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toMatch(/--to: must be after from/);
    const missing = await runPayops(['explain', '--db', path.join(dir, 'none.db'), '--from', iso(START), '--to', iso(START + MINUTE)]);
    expect(missing.code).toBe(3);
  });
});
