// The report command as an operator runs it (the built CLI: `npm run build:core` first).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCapture } from '../../../test/support/explorerTestKit';
import { openDatabase } from '../../core/store/database';
import { lastJson, runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-report-cli-');
const dbFile = path.join(dir, 'demo.db');
const FROM = '2026-11-10T03:17:12.345Z';
const TO = '2026-11-12T09:01:02.003Z';

beforeAll(async () => {
  const db = openDatabase(dbFile);
  await loadDemoCapture(db);
  db.close();
});

describe('payops report', () => {
  it('--json prints window, totals, alerts and top merchants equal to plain SQL', async () => {
    const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = lastJson<{
      window: { from: string; to: string };
      totals: { events: number; byType: Record<string, number>; authorizedAmountByCurrency: Record<string, number>; approvalRate: number; declineRate: number };
      alerts: unknown[];
      topMerchants: { merchantId: string; events: number; declines: number }[];
    }>(r.stdout);
    expect(j.window).toMatchObject({ from: FROM, to: TO });
    const db = openDatabase(dbFile, { readonly: true });
    const from = Date.parse(FROM);
    const to = Date.parse(TO);
    const n = (db.prepare('SELECT COUNT(*) n FROM events WHERE time_ms >= ? AND time_ms < ?').get(from, to) as { n: number }).n;
    const auth = (db.prepare("SELECT COUNT(*) n FROM events WHERE type = 'payment.authorized' AND time_ms >= ? AND time_ms < ?").get(from, to) as { n: number }).n;
    const decl = (db.prepare("SELECT COUNT(*) n FROM events WHERE type = 'payment.declined' AND time_ms >= ? AND time_ms < ?").get(from, to) as { n: number }).n;
    const failed = (db.prepare("SELECT COUNT(*) n FROM events WHERE type = 'payment.failed' AND time_ms >= ? AND time_ms < ?").get(from, to) as { n: number }).n;
    const sums = db.prepare("SELECT currency, SUM(amount) s FROM events WHERE type = 'payment.authorized' AND time_ms >= ? AND time_ms < ? GROUP BY currency").all(from, to) as { currency: string; s: number }[];
    const top = db
      .prepare("SELECT merchant_id merchantId, COUNT(*) events, SUM(type = 'payment.declined') declines FROM events WHERE time_ms >= ? AND time_ms < ? AND merchant_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10")
      .all(from, to);
    db.close();
    expect(n).toBeGreaterThan(100);
    expect(j.totals.events).toBe(n);
    expect(Object.values(j.totals.byType).reduce((a, b) => a + b, 0)).toBe(n);
    expect(j.totals.authorizedAmountByCurrency).toEqual(Object.fromEntries(sums.map((s) => [s.currency, s.s])));
    // Per attempt: authorized + declined + failed, as explain and the alert rules count them.
    expect(j.totals.approvalRate).toBeCloseTo(auth / (auth + decl + failed), 12);
    expect(j.totals.declineRate).toBeCloseTo(decl / (auth + decl + failed), 12);
    expect(j.alerts).toEqual([]);
    expect(j.topMerchants).toEqual(top);
  });

  it('writes the format of the extension: .json, .html, .csv (masked by default)', async () => {
    for (const ext of ['json', 'html', 'csv']) {
      const out = path.join(dir, `r.${ext}`);
      const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/wrote/);
      const text = fs.readFileSync(out, 'utf8');
      if (ext === 'json') expect(JSON.parse(text).totals.events).toBeGreaterThan(100);
      if (ext === 'html') expect(text).toMatch(/^<!doctype html>/);
      if (ext === 'csv') {
        expect(text).toMatch(/^\ufefftime,type,source,id/);
        expect(text).not.toMatch(/C\d{6,}/); // PaySim customer ids
      }
    }
    const open = path.join(dir, 'open.csv');
    const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--out', open, '--no-mask']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/masking is OFF/);
    expect(fs.readFileSync(open, 'utf8')).toMatch(/C\d{6,}/);
  });

  it('fails clearly: unknown extension, missing database, reversed window, unknown alert', async () => {
    const bad = await runPayops(['report', '--db', dbFile, '--out', path.join(dir, 'r.docx')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\.pdf, \.html, \.csv or \.json/);
    const missing = await runPayops(['report', '--db', path.join(dir, 'nope.db'), '--json']);
    expect(missing.code).toBe(3);
    const reversed = await runPayops(['report', '--db', dbFile, '--from', TO, '--to', FROM, '--json']);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toMatch(/after --from/);
    const badTime = await runPayops(['report', '--db', dbFile, '--from', 'yesterday', '--json']);
    expect(badTime.code).toBe(1);
    // A day that does not exist and an offset no clock has are named, not rolled over or applied.
    const noDay = await runPayops(['report', '--db', dbFile, '--from', '2026-02-31T00:00:00Z', '--json']);
    expect(noDay.code).toBe(1);
    expect(noDay.stderr).toMatch(/--from must be an ISO 8601 time .*: 2026-02-31 does not exist, February 2026 has 28 days/);
    const noOffset = await runPayops(['report', '--db', dbFile, '--to', '2026-11-12T09:00:00+25:00', '--json']);
    expect(noOffset.code).toBe(1);
    expect(noOffset.stderr).toMatch(/\+25:00 is not an offset from UTC/);
    const noMargin = await runPayops(['report', '--db', dbFile, '--alert', 'no-such', '--margin', '', '--json']);
    expect(noMargin.code).toBe(1);
    expect(noMargin.stderr).toMatch(/--margin must be minutes between 0 and 1440/);
    const alert = await runPayops(['report', '--db', dbFile, '--alert', 'no-such', '--json']);
    expect(alert.code).toBe(1);
    expect(alert.stderr).toMatch(/alert/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('PDF without Chromium fails with a message saying so', async () => {
    const out = path.join(dir, 'r.pdf');
    const r = await runPayops(['report', '--db', dbFile, '--from', FROM, '--to', TO, '--out', out], { PAYOPS_CHROMIUM: path.join(dir, 'none') });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Chromium/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
