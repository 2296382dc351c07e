import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertHistoryStore } from '../alerts/alertHistoryStore';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { migration010 } from '../store/migrations/010_alerts';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';
import { runExport } from './reportExport';

// QA: a masked field's value must not come back through alert text (key, summary, timeline,
// title), a card number in any field must not be exported, and --mask paymentId must cover the
// CloudEvent subject that repeats it.

const dir = tempDir('payops-export-mask-');
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const KEY = 'qa-bin-down/cardBin=510002/1';
let db: Database.Database;
let store: Store;

beforeAll(() => {
  db = openDatabase(path.join(dir, 'mask.db'));
  migration010.up(db);
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    const pid = `p_mask_${i}`;
    events.push({
      specversion: '1.0', id: `mk-${i}`, source: 'qa/psp', type: i % 4 ? 'payment.authorized' : 'payment.declined', subject: pid,
      time: new Date(T0 + i * 1500).toISOString(),
      data: {
        paymentId: pid, merchantId: 'm_1', amount: 1000, currency: 'EUR', cardBin: '510002', ...(i % 4 ? {} : { declineCode: '05' }),
        cardNumber: i % 2 ? '4111111111111111' : '5500 0000 0000 0004', meta: { pan: 4111111111111111 },
      },
    });
  }
  storeEvents(db, events);
  store = storeOn(db);
  new AlertHistoryStore(store).saveInstances([
    {
      key: KEY, rule: 'qa-bin-down', severity: 'critical', labels: { cardBin: '510002' }, group: 'cardBin=510002', state: 'resolved',
      summary: 'approval rate 30 % for cardBin 510002, threshold below 30 % over 2m', value: 0.3, peakValue: 0.2,
      activeSince: T0 + 5000, firedAt: T0 + 6000, resolvedAt: T0 + 40_000, endedAt: null, silenced: false,
      acknowledged: { by: 'ana', note: 'issuer of 510002 is down', at: T0 + 7000 }, resolveNote: { by: 'ana', note: 'BIN 510002 back', at: T0 + 41_000 },
      transitions: [{ state: 'pending', at: T0 + 5000 }, { state: 'firing', at: T0 + 6000 }, { state: 'resolved', at: T0 + 40_000 }],
    },
  ]);
  store.silences.save({ id: 'sil-bin', matchers: [{ label: 'cardBin', op: '=', value: '510002' }], endsAt: T0 + 50_000, comment: 'known: 510002', createdBy: 'cy', createdAt: T0 + 8000, expiredAt: null });
});
afterAll(() => db?.close());

const SECRETS = [/510002/, /4111111111111111/, /5500 0000 0000 0004/];

describe('exports mask every masked value wherever it appears', () => {
  it('alert keys, summaries, notes, the timeline, silences and the title (JSON and HTML)', () => {
    const r = buildReport(store, { alertKey: KEY, marginMinutes: 1 });
    const json = JSON.stringify(r);
    const html = renderReportHtml(r);
    for (const s of SECRETS) {
      expect(json).not.toMatch(s);
      expect(html).not.toMatch(s);
    }
    const a = r.alerts.find((x) => x.rule === 'qa-bin-down')!;
    expect(a.key).toBe('qa-bin-down/cardBin=51****/1');
    expect(a.group).toBe('cardBin=51****');
    expect(a.summary).toBe('approval rate 30 % for cardBin 51****, threshold below 30 % over 2m');
    expect(r.timeline.find((e) => e.kind === 'firing')!.text).toBe('fired: approval rate 30 % for cardBin 51****, threshold below 30 % over 2m');
    expect(r.title).toBe('Incident report: qa-bin-down (cardBin=51****)');
    expect(r.source.alertKey).toBe('qa-bin-down/cardBin=51****/1');
    expect(r.silences[0]).toMatchObject({ matchers: 'cardBin=51****', comment: 'known: 51****' });
    // The figures are untouched, and without masking everything reads as stored.
    const open = buildReport(store, { alertKey: KEY, marginMinutes: 1, mask: false });
    expect(open.totals).toEqual(r.totals);
    expect(open.alerts[0].key).toBe(KEY);
    expect(JSON.stringify(open)).toMatch(/4111111111111111/);
  });

  it('card numbers in any field of the sample events and the CSV data column', async () => {
    const r = buildReport(store, { from: T0, to: T0 + 60_000, sampleSize: 40 });
    const sample = JSON.stringify(r.sampleEvents);
    expect(sample).toContain('"cardNumber":"41**********1111"');
    expect(sample).toContain('"cardNumber":"55**********0004"');
    expect(sample).toContain('"pan":"41**********1111"');
    const out = path.join(dir, 'mask.csv');
    await runExport(store, { from: T0, to: T0 + 60_000, format: 'csv', outFile: out });
    const csv = fs.readFileSync(out, 'utf8');
    for (const s of SECRETS) expect(csv).not.toMatch(s);
    expect(csv).toContain('41**********1111');
    const open = path.join(dir, 'open.csv');
    await runExport(store, { from: T0, to: T0 + 60_000, format: 'csv', outFile: open, mask: false });
    expect(fs.readFileSync(open, 'utf8')).toContain('4111111111111111');
  });

  it('--mask paymentId masks the subject that repeats it (CSV and sample events)', async () => {
    const out = path.join(dir, 'pid.csv');
    await runExport(store, { from: T0, to: T0 + 60_000, format: 'csv', outFile: out, maskFields: ['paymentId'] });
    const lines = fs.readFileSync(out, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    const head = lines[0].split(',');
    const [subject, paymentId] = [head.indexOf('subject'), head.indexOf('payment_id')];
    expect(lines).toHaveLength(41);
    for (const l of lines.slice(1)) {
      const cells = l.split(',');
      expect(cells[subject]).toMatch(/^#[0-9a-f]{10}$/);
      expect(cells[subject]).toBe(cells[paymentId]);
    }
    const r = buildReport(store, { from: T0, to: T0 + 60_000, sampleSize: 10, maskFields: ['paymentId'] });
    expect(JSON.stringify(r.sampleEvents)).not.toMatch(/p_mask_/);
    for (const e of r.sampleEvents) expect(e.subject).toBe((e.data as Record<string, unknown>).paymentId);
  });
});
