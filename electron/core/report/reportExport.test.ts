import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCapture, storeEvents } from '../../../test/support/explorerTestKit';
import { paymentEvent } from '../../../bench/events';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { migration010 } from '../store/migrations/010_alerts';
import { tempDir } from '../../../test/support/tempDir';
import { csvCell, neutralizeCell } from './csv';
import { ExportJobs } from './exportJobs';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';
import { CHROMIUM_ARGS, findChromium } from './reportPdf';
import { ExportCancelledError, runExport } from './reportExport';

const dir = tempDir('payops-export-');
let db: Database.Database;
let store: Store;
const FROM = Date.UTC(2026, 10, 2);
const TO = Date.UTC(2026, 11, 3);
const chromiumPath = findChromium();

beforeAll(async () => {
  db = openDatabase(path.join(dir, 'export.db'));
  store = storeOn(db);
  migration010.up(db);
  await loadDemoCapture(db);
  storeEvents(db, Array.from({ length: 50 }, (_, i) => paymentEvent(i % 3 ? 'payment.authorized' : 'payment.declined')));
  // Cells a spreadsheet would run, in fields that reach the CSV.
  storeEvents(db, [FORMULA_EVENT]);
});

const FORMULA_EVENT = {
  specversion: '1.0', id: '=HYPERLINK("http://evil.example","x")', source: 'psp/a', type: 'payment.authorized', time: '2026-11-20T10:00:00.000Z', subject: '+cmd|calc',
  data: { paymentId: '@SUM(1+1)', merchantId: '-2+3', amount: 5, currency: 'EUR', country: 'DE', cardBin: '424242', method: '\tcard', customerId: 'cus_secret_1', email: 'a@b.example' },
};
afterAll(() => db?.close());

describe('CSV', () => {
  it('neutralises cells that start like formulas', () => {
    for (const bad of ['=1+2', '+1', '-1', '@A1', '\tx', '\rx']) expect(neutralizeCell(bad).startsWith("'")).toBe(true);
    // OWASP ASVS 5.0 (requirement 1.2.10) lists a leading NUL among the characters to escape.
    expect(neutralizeCell('\0=1+2')).toBe("'\0=1+2");
    expect(neutralizeCell('abc')).toBe('abc');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell(-5)).toBe('-5');
  });

  it('streams every event of the window, masked by default, formulas neutralised', async () => {
    const out = path.join(dir, 'events.csv');
    const progress: number[] = [];
    const r = await runExport(store, { from: FROM, to: TO, format: 'csv', outFile: out, chunkRows: 3000, onProgress: (p) => progress.push(p.done) });
    const count = (db.prepare('SELECT COUNT(*) n FROM events WHERE time_ms >= ? AND time_ms < ?').get(FROM, TO) as { n: number }).n;
    expect(r.rows).toBe(count);
    expect(progress.length).toBeGreaterThan(5);
    const text = fs.readFileSync(out, 'utf8');
    const lines = text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(count + 1);
    expect(lines[0]).toMatch(/^time,type,source,id,/);
    const evil = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(evil).toContain("'+cmd|calc");
    expect(evil).toContain("'@SUM(1+1)");
    expect(evil).toContain("'-2+3");
    expect(evil).toContain("'\tcard");
    // Masked by default: BINs keep two digits, customer ids and e-mails are gone.
    expect(text).not.toMatch(/cus_secret_1|a@b\.example|C\d{6,}/);
    const binColumn = lines[0].split(',').indexOf('card_bin');
    const bins = lines.slice(1).filter((l) => !l.includes('HYPERLINK')).map((l) => l.split(',')[binColumn]);
    expect(bins.some((b) => b !== '')).toBe(true);
    for (const b of bins) expect(b).toMatch(/^(\d\d\*\*\*\*)?$/);
    expect(text).toMatch(/\*\*\*/);
    // No cell begins with a formula character.
    for (const l of lines.slice(1, 2000)) for (const cell of l.split(',')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('--no-mask exports the stored values', async () => {
    const out = path.join(dir, 'open.csv');
    await runExport(store, { from: Date.UTC(2026, 10, 20), to: Date.UTC(2026, 10, 21), format: 'csv', outFile: out, mask: false });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('cus_secret_1');
    // The data cell (the last) is the event's whole data as sent: the fields the stored text
    // leaves to the row's columns (payment id, merchant, amount, BIN...) are put back.
    const line = text.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    const cell = line.slice(line.lastIndexOf(',"{') + 1);
    expect(JSON.parse(cell.slice(1, -1).replaceAll('""', '"'))).toEqual(FORMULA_EVENT.data);
  });

  it('cancelling leaves no file (and no temporary file) behind', async () => {
    const out = path.join(dir, 'cancelled.csv');
    const controller = new AbortController();
    const p = runExport(store, {
      from: FROM, to: TO, format: 'csv', outFile: out, chunkRows: 500, signal: controller.signal,
      onProgress: (pr) => pr.done >= 2000 && controller.abort(),
    });
    await expect(p).rejects.toBeInstanceOf(ExportCancelledError);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([]);
  });

  it('export jobs report progress and cancel', async () => {
    const jobs = new ExportJobs(store, path.join(dir, 'exports'));
    const job = jobs.start({ from: FROM, to: TO, format: 'csv' });
    expect(job.state).toBe('running');
    const cancelled = await jobs.cancel(job.jobId);
    expect(cancelled.state).toBe('cancelled');
    expect(fs.readdirSync(path.join(dir, 'exports'))).toEqual([]);
    const ok = jobs.start({ from: FROM, to: TO, format: 'json' });
    const done = await jobs.wait(ok.jobId);
    expect(done.state).toBe('done');
    expect(JSON.parse(fs.readFileSync(done.file!, 'utf8')).totals.events).toBeGreaterThan(39_000);
  });

  it('the same window exported again, or twice at once, keeps every file: -2, -3, as downloads do', async () => {
    const jobs = new ExportJobs(store, path.join(dir, 'exports-again'));
    const first = await jobs.wait(jobs.start({ from: FROM, to: TO, format: 'csv' }).jobId);
    const [second, third] = await Promise.all([jobs.start({ from: FROM, to: TO, format: 'csv' }), jobs.start({ from: FROM, to: TO, format: 'csv' })].map((j) => jobs.wait(j.jobId)));
    const files = [first, second, third].map((j) => path.basename(j.file!));
    expect(files[1]).toBe(files[0].replace(/\.csv$/, '-2.csv'));
    expect(files[2]).toBe(files[0].replace(/\.csv$/, '-3.csv'));
    expect(fs.readdirSync(path.join(dir, 'exports-again')).sort()).toEqual([...files].sort());
    const sizes = files.map((f) => fs.statSync(path.join(dir, 'exports-again', f)).size);
    expect(new Set(sizes).size).toBe(1);
  });
});

describe('HTML', () => {
  it('is self-contained: no external URL, no script', () => {
    const html = renderReportHtml(buildReport(store, { from: FROM, to: TO, notes: 'Issuer 51 spike <b>not bold</b> http://x' }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(?:src|href|action|poster|data)\s*=\s*["']?(?!#|data:)[a-z]+:/i);
    expect(html).not.toMatch(/url\(\s*['"]?(?!data:)/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain('Issuer 51 spike &lt;b&gt;not bold&lt;/b&gt;');
    expect(html).toContain('<svg');
  });

  it.skipIf(!chromiumPath)('loads in Chromium with the network off and shows the figures', async () => {
    const report = buildReport(store, { from: FROM, to: TO });
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderReportHtml(report));
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const refused: string[] = [];
      await page.route('**/*', (route) => {
        if (route.request().url().startsWith('file:')) return route.continue();
        refused.push(route.request().url());
        return route.abort();
      });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      const response = await page.goto(`file://${file}`, { waitUntil: 'load' });
      expect(response?.ok() ?? true).toBe(true);
      expect(refused).toEqual([]);
      expect(failed).toEqual([]);
      await expect(page.locator('h1').textContent()).resolves.toContain('report');
      expect(await page.locator('svg.chart').count()).toBe(4);
      const body = await page.locator('body').innerText();
      expect(body).toContain(report.totals.events.toLocaleString('en-US'));
      expect(body).toContain(report.topMerchants[0].merchantId);
    } finally {
      await browser.close();
    }
  });
});

describe('PDF', () => {
  it.skipIf(!chromiumPath)('renders pages (pdftoppm) carrying the key figures as text (pdftotext)', async () => {
    const out = path.join(dir, 'report.pdf');
    const r = await runExport(store, { from: FROM, to: TO, format: 'pdf', outFile: out, notes: 'Operator note: issuer outage' });
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const prefix = path.join(dir, 'page');
    execFileSync('pdftoppm', ['-r', '40', '-png', out, prefix]);
    const pages = fs.readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const p of pages) expect(fs.statSync(path.join(dir, p)).size).toBeGreaterThan(1000);
    const text = execFileSync('pdftotext', ['-layout', out, '-']).toString();
    expect(text).toContain(r.report!.totals.events.toLocaleString('en-US'));
    expect(text).toContain(`${(r.report!.totals.approvalRate! * 100).toFixed(2)}%`);
    expect(text).toContain(r.report!.topMerchants[0].merchantId);
    expect(text).toContain('Operator note: issuer outage');
    expect(text).toContain('Key figures');
  });

  it('without Chromium says so clearly and leaves no file', async () => {
    const saved = process.env.PAYOPS_CHROMIUM;
    process.env.PAYOPS_CHROMIUM = path.join(dir, 'no-such-chromium');
    try {
      const out = path.join(dir, 'none.pdf');
      await expect(runExport(store, { from: FROM, to: TO, format: 'pdf', outFile: out })).rejects.toThrow(/Chromium/);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.PAYOPS_CHROMIUM;
      else process.env.PAYOPS_CHROMIUM = saved;
    }
  });
});
