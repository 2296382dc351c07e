// Query benchmark (issue 6): explorer pages and a 24-hour report on a database of
// 10,000,000 realistic events (BENCH_QUERY_EVENTS to change the size). Prints a table of
// medians and the ratio to target, and one JSON line for tools.
//   npm run bench:query            (build:core first; the database is cached in os.tmpdir())
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventCursor, EventFilter } from '../shared/explorer';
import { paymentTimeline } from '../electron/core/explorer/timeline';
import { buildReport } from '../electron/core/report/reportData';
import { renderReportHtml } from '../electron/core/report/reportHtml';
import { runExport } from '../electron/core/report/reportExport';
import { openStore } from '../electron/core/store/store';
import { DAY_MS, ensureBenchData } from './queryData';
import { ensureSegmentRollups } from './segmentData';
import { explainRequestSchema, healthRequestSchema } from '../shared/triage';
import { TriageService } from '../electron/core/triage/triageService';

const EVENTS = Number(process.env.BENCH_QUERY_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 7);
const PAGE = 100;
const PAGE_TARGET_MS = 50;
const REPORT_TARGET_MS = 3000;
const EXPLAIN_TARGET_MS = 1000;
const HEALTH_TARGET_MS = 200;

const log = (line: string) => process.stderr.write(`${line}\n`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

interface Row {
  name: string;
  first: number;
  next: number;
  rows: number;
  partial: boolean;
}

async function main(): Promise<void> {
  if (!Number.isInteger(EVENTS) || EVENTS < 1000) throw new Error('BENCH_QUERY_EVENTS must be a whole number >= 1000');
  log(`query benchmark: ${EVENTS.toLocaleString('en-US')} events`);
  const info = ensureBenchData(EVENTS, log);
  log(info.built ? `built ${info.file} in ${(info.buildMs / 1000).toFixed(0)} s` : `reusing ${info.file}`);
  ensureSegmentRollups(info.file, log);
  const store = openStore(info.file, { readonly: true });
  const size = fs.statSync(info.file).size;
  const q = store.eventPages;

  // Filter values as an operator would pick them: a mid-size merchant, a common country,
  // the commonest decline code, blocked payments, a band of amounts, one payment's id.
  const merchant = 'm_1049';
  const filters: [string, EventFilter][] = [
    ['no filter', {}],
    ['type = payment.declined', { types: ['payment.declined'] }],
    ['types = declined + failed', { types: ['payment.declined', 'payment.failed'] }],
    [`merchant = ${merchant}`, { merchantId: merchant }],
    ['country = DE', { country: 'DE' }],
    ['country = NG (rare)', { country: 'NG' }],
    ['decline code = 51', { declineCode: '51' }],
    ['decision = block', { decision: 'block' }],
    ['amount 100.00-200.00 EUR', { currency: 'EUR', amountMin: 10_000, amountMax: 20_000 }],
    ['payment id', { search: info.samplePaymentId }],
    ['event id', { search: info.sampleEventId }],
    ['last 1 h + type', { from: info.toMs - 3_600_000, to: info.toMs, types: ['payment.authorized'] }],
  ];
  const rows: Row[] = [];
  for (const [name, filter] of filters) {
    const firsts: number[] = [];
    const nexts: number[] = [];
    let count = 0;
    let partial = false;
    for (let i = 0; i < RUNS; i++) {
      const [t1, p1] = time(() => q.page({ filter, limit: PAGE }));
      firsts.push(t1);
      count = p1.rows.length;
      partial ||= p1.partial;
      const cursor: EventCursor | null = p1.nextCursor;
      if (cursor) {
        const [t2, p2] = time(() => q.page({ filter, limit: PAGE, cursor }));
        nexts.push(t2);
        partial ||= p2.partial;
      }
    }
    rows.push({ name, first: median(firsts), next: nexts.length ? median(nexts) : NaN, rows: count, partial });
  }
  const timelines: number[] = [];
  for (let i = 0; i < RUNS; i++) timelines.push(time(() => paymentTimeline(store, info.samplePaymentId))[0]);

  // 24-hour report: the last day of data.
  const to = info.toMs;
  const from = to - DAY_MS;
  const reports: number[] = [];
  const htmls: number[] = [];
  const cpus: number[] = [];
  let events24 = 0;
  for (let i = 0; i < Math.max(3, Math.min(RUNS, 5)); i++) {
    const cpu0 = process.cpuUsage();
    const [tr, report] = time(() => buildReport(store, { from, to }));
    const [th] = time(() => renderReportHtml(report));
    const cpu = process.cpuUsage(cpu0);
    cpus.push((cpu.user + cpu.system) / 1000);
    reports.push(tr);
    htmls.push(tr + th);
    events24 = report.totals.events;
  }
  // Triage (issue 13): explain the last hour against the 4 hours before it, and the health board.
  const triage = new TriageService(store);
  const explains: number[] = [];
  const healths: number[] = [];
  let contributors = 0;
  let segments = 0;
  for (let i = 0; i < RUNS; i++) {
    const [te, e] = time(() => triage.explain(explainRequestSchema.parse({ from: to - 3_600_000, to })));
    explains.push(te);
    contributors = e.contributors.length;
    const [th, board] = time(() => triage.health(healthRequestSchema.parse({ at: to })));
    healths.push(th);
    segments = board.segments.length;
  }
  const csvFile = path.join(os.tmpdir(), `payops-bench-query-${process.pid}.csv`);
  const csvStart = performance.now();
  const csv = await runExport(store, { from: to - 3_600_000, to, format: 'csv', outFile: csvFile });
  const csvMs = performance.now() - csvStart;
  fs.rmSync(csvFile, { force: true });
  store.close();

  const ratio = (ms: number, target: number) => (Number.isNaN(ms) ? '-' : `${(ms / target).toFixed(2)}x`);
  const f = (ms: number) => (Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  const out: string[] = [];
  out.push(`payops bench:query — ${info.events.toLocaleString('en-US')} events over ${info.days} days (${(size / 1e9).toFixed(2)} GB), ${os.cpus().length} CPU(s), load average ${os.loadavg()[0].toFixed(1)}, median of ${RUNS} runs, page = ${PAGE} rows`);
  out.push('');
  out.push(`${'explorer filter'.padEnd(30)} ${'first ms'.padStart(9)} ${'next ms'.padStart(9)} ${'rows'.padStart(5)}  ${'vs 50 ms (first/next)'}`);
  for (const r of rows) {
    out.push(`${r.name.padEnd(30)} ${f(r.first).padStart(9)} ${f(r.next).padStart(9)} ${String(r.rows).padStart(5)}  ${ratio(r.first, PAGE_TARGET_MS)} / ${ratio(r.next, PAGE_TARGET_MS)}${r.partial ? '  (partial: scan budget)' : ''}`);
  }
  out.push(`${'payment timeline'.padEnd(30)} ${f(median(timelines)).padStart(9)}`);
  out.push('');
  out.push(`24-hour report (${events24.toLocaleString('en-US')} events): build ${f(median(reports))} ms, build + HTML ${f(median(htmls))} ms  (${ratio(median(htmls), REPORT_TARGET_MS)} of the 3 s target); CPU time ${f(median(cpus))} ms`);
  out.push(`CSV export of the last hour: ${csv.rows.toLocaleString('en-US')} events, ${(csv.bytes / 1e6).toFixed(1)} MB in ${f(csvMs)} ms (${Math.round(csv.rows / (csvMs / 1000)).toLocaleString('en-US')} events/s)`);
  out.push(`explain, last hour vs 4-hour baseline: ${f(median(explains))} ms (${ratio(median(explains), EXPLAIN_TARGET_MS)} of the 1 s target, ${contributors} contributors); health board: ${f(median(healths))} ms (${ratio(median(healths), HEALTH_TARGET_MS)} of the 200 ms target, ${segments} segments)`);
  const worst = Math.max(...rows.flatMap((r) => [r.first, Number.isNaN(r.next) ? 0 : r.next]));
  out.push(`worst explorer page ${f(worst)} ms (target ${PAGE_TARGET_MS} ms): ${worst < PAGE_TARGET_MS ? 'OK' : 'OVER'}; report ${median(htmls) < REPORT_TARGET_MS ? 'OK' : 'OVER'}`);
  process.stdout.write(`${out.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({ events: info.events, days: info.days, dbBytes: size, pages: rows, timelineMs: median(timelines), report24hMs: median(reports), report24hHtmlMs: median(htmls), report24hCpuMs: median(cpus), loadAverage: os.loadavg()[0], report24hEvents: events24, csvHourMs: csvMs, csvHourRows: csv.rows, explainHourMs: median(explains), healthBoardMs: median(healths) })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bench:query failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
