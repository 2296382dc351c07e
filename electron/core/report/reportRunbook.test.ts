// An incident report names each alert's runbook and description (its rule's condition in words),
// as the webhook's annotations do: the on-call reading a report (HTML, PDF or JSON) found the
// alert's summary only, while the console and every receiver had the runbook. A login or token
// written in a runbook URL is `***` (the webhook's masking); only an http(s) URL is ever a link,
// a relative docs path stays text, and anything else (a javascript: link) is not drawn.
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { AlertHistoryStore } from '../alerts/alertHistoryStore';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport } from './reportData';
import { runExport } from './reportExport';
import { renderReportHtml } from './reportHtml';
import { findChromium } from './reportPdf';

const dir = tempDir('payops-report-runbook-');
const T0 = Date.UTC(2026, 4, 6, 9, 0, 0);
const FROM = T0 - 60_000;
const TO = T0 + 600_000;
const WITH_TOKEN = 'https://ops:hunter2pw@wiki.example/runbooks/declines?token=tok3nSECRET&x=1';
// As a webhook sends it; a report with its sensitive fields masked (the default) hides the login too.
const SHARED = 'https://ops:***@wiki.example/runbooks/declines?token=***&x=1';
const MASKED = 'https://***@wiki.example/runbooks/declines?token=***&x=1';
const DOCS_PATH = 'electron/core/alerts/RULES.md#traffic-stopped';
const DESCRIPTION = 'decline rate per attempt above 10 % over 5m, for 2m. Declines are up.';
let db: Database.Database;
let store: Store;

const record = (key: string, rule: string, at: number, annotations: Pick<AlertHistoryRecord, 'runbookUrl' | 'description'>): AlertHistoryRecord => ({
  key, rule, severity: 'critical', labels: {}, group: '', state: 'resolved', summary: `${rule} fired`, value: 0.3, peakValue: 0.4,
  activeSince: T0 + at, firedAt: T0 + at + 1000, resolvedAt: T0 + at + 60_000, endedAt: null, silenced: false, acknowledged: null, resolveNote: null,
  transitions: [{ state: 'pending', at: T0 + at }, { state: 'firing', at: T0 + at + 1000 }, { state: 'resolved', at: T0 + at + 60_000 }],
  ...annotations,
});

beforeAll(() => {
  db = openDatabase(path.join(dir, 'runbook.db'));
  store = storeOn(db);
  storeEvents(db, [
    { specversion: '1.0', id: 'd1', source: 'psp', type: 'payment.declined', time: new Date(T0 + 5000).toISOString(), data: { paymentId: 'p1', merchantId: 'm_1', amount: 500, currency: 'EUR', declineCode: '51' } },
  ]);
  new AlertHistoryStore(store).saveInstances([
    // Stored as written (a record from before the collector hid secrets in it): the report hides them.
    record('k-url', 'decline-rate-spike', 10_000, { runbookUrl: WITH_TOKEN, description: DESCRIPTION }),
    record('k-docs', 'traffic-stopped', 20_000, { runbookUrl: DOCS_PATH, description: 'no events for 2m.' }),
    record('k-script', 'fraud-burst', 30_000, { runbookUrl: 'javascript:alert(1)//https://x', description: 'fraud share high.' }),
    record('k-none', 'queue-depth-growing', 40_000, {}),
  ]);
});
afterAll(() => db?.close());

const byKey = (key: string, mask = true) => buildReport(store, { from: FROM, to: TO, mask }).alerts.find((a) => a.key === key)!;

describe("an incident report's runbooks", () => {
  it("gives each alert its runbook, a login or token in it written ***, and its description", () => {
    expect(byKey('k-url')).toMatchObject({ runbookUrl: MASKED, description: DESCRIPTION });
    expect(byKey('k-docs')).toMatchObject({ runbookUrl: DOCS_PATH, description: 'no events for 2m.' });
    expect(byKey('k-script').runbookUrl).toBeUndefined();
    expect(byKey('k-none')).not.toHaveProperty('runbookUrl');
    expect(byKey('k-none')).not.toHaveProperty('description');
  });

  it('hides a login or token in a runbook URL in a report whose fields are not masked too', () => {
    expect(byKey('k-url', false)).toMatchObject({ runbookUrl: SHARED, description: DESCRIPTION });
  });

  it('links an http(s) runbook in the HTML, writes a docs path as text, and never puts anything else in an href', () => {
    const html = renderReportHtml(buildReport(store, { from: FROM, to: TO }));
    const escaped = MASKED.replace(/&/g, '&amp;');
    expect(html).toContain(`Runbook: <a href="${escaped}" rel="noopener noreferrer">${escaped}</a>`);
    expect(html).toContain(`Runbook: <code><bdi>${DOCS_PATH}</bdi></code>`);
    expect(html).toContain(DESCRIPTION);
    expect(html).not.toContain('hunter2pw');
    expect(html).not.toContain('tok3nSECRET');
    expect(html).not.toContain('javascript:');
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([escaped]);
  });

  it('keeps them in the JSON file, masked', async () => {
    const out = path.join(dir, 'runbook.json');
    await runExport(store, { from: FROM, to: TO, format: 'json', outFile: out });
    const text = fs.readFileSync(out, 'utf8');
    const alerts = (JSON.parse(text) as { alerts: { key: string; runbookUrl?: string; description?: string }[] }).alerts;
    expect(alerts.find((a) => a.key === 'k-url')).toMatchObject({ runbookUrl: MASKED, description: DESCRIPTION });
    expect(text).not.toContain('tok3nSECRET');
  });

  it.skipIf(!findChromium())('prints the runbook and the description in the PDF', async () => {
    const out = path.join(dir, 'runbook.pdf');
    await runExport(store, { from: FROM, to: TO, format: 'pdf', outFile: out });
    const text = execFileSync('pdftotext', [out, '-']).toString();
    expect(text).toContain('Runbook:');
    expect(text.replace(/\s+/g, '')).toContain(MASKED);
    expect(text.replace(/\s+/g, ' ')).toContain('Declines are up.');
    expect(text).not.toContain('tok3nSECRET');
  });
});
