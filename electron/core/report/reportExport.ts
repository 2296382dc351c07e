// Exports: HTML, PDF, JSON (the report) and CSV (every event of the window, streamed). Each
// is written to a temporary file beside the target and renamed at the end, so a cancelled
// or failed export leaves no partial file. Progress is reported as rows (CSV) or steps.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { knownCurrencyDigits, minorToMajorString } from '../../../shared/currencies';
import { declineCodeInfo } from '../../../shared/declineCodes';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';
import type { EventFilter, EventRow, ReportData, ReportFormat } from '../../../shared/explorer';
import type { RestoredEvent } from '../store/eventRepository';
import type { ReadStore } from '../store/store';
import { csvLine } from './csv';
import { Masker } from './masking';
import { matchingEvents } from './filteredReport';
import { csvFilterNote } from './reportFilter';
import { buildReport, resolveWindow, windowFigures, type ReportRequest } from './reportData';
import { renderReportHtml } from './reportHtml';
import { htmlToPdf } from './reportPdf';
import { commitTempFile } from '../atomicFile';

export class ExportCancelledError extends Error {
  constructor() {
    super('export cancelled');
  }
}

export interface ExportProgress {
  done: number;
  total: number;
  bytes: number;
}

export interface ExportOptions extends ReportRequest {
  format: ReportFormat;
  /** CSV: only the window's events that match this explorer filter (its own from/to give way to the window). */
  filter?: EventFilter;
  outFile: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Rows between yields to the event loop (the engine keeps ingesting meanwhile). */
  chunkRows?: number;
  /** Builds the report (default: on this thread); the engine passes one that runs off-thread. */
  build?: (request: ReportRequest) => Promise<ReportData> | ReportData;
}

export interface ExportResult {
  file: string;
  bytes: number;
  rows: number;
  report: ReportData | null;
}

export function formatFromFile(file: string): ReportFormat | null {
  const ext = path.extname(file).toLowerCase().slice(1);
  return ext === 'html' || ext === 'htm' ? 'html' : ext === 'pdf' || ext === 'csv' || ext === 'json' ? ext : null;
}

/**
 * `amount` is in major units of the row's `currency` with that currency's ISO 4217 decimals
 * ("12.50" EUR, "13367" JPY, "1.250" KWD): what a spreadsheet sums correctly per currency;
 * `amount_minor` is the integer as received (empty `amount` when the event names no currency, or
 * one whose decimals nobody knows: shared/currencies.ts).
 * `decline_meaning` and `decline_kind` (soft / hard) explain `decline_code` (shared/declineCodes.ts).
 * A filtered export adds `filter` (last, so no column moves), saying on every row which explorer
 * filter the export holds ("Filtered: only events matching merchant m_1"); an export of every
 * event of the window keeps the columns it always had.
 */
export const CSV_COLUMNS = [
  'time', 'type', 'source', 'id', 'subject', 'payment_id', 'merchant_id', 'amount', 'currency', 'amount_minor', 'country', 'method',
  'card_bin', 'latency_ms', 'decline_code', 'decline_meaning', 'decline_kind', 'score', 'decision', 'routing_key', 'arrival', 'data',
] as const;
const FILTERED_CSV_COLUMNS = [...CSV_COLUMNS, 'filter'] as const;

/** The event field of each flat CSV column (the masker knows fields by these names too). */
const COLUMN_FIELDS: Record<string, keyof EventRow> = {
  type: 'type', source: 'source', id: 'id', subject: 'subject', payment_id: 'paymentId', merchant_id: 'merchantId', amount_minor: 'amount',
  currency: 'currency', country: 'country', method: 'method', card_bin: 'cardBin', latency_ms: 'latencyMs', decline_code: 'declineCode',
  score: 'score', decision: 'decision', routing_key: 'routingKey',
};

/** The flat CSV columns the masker may mask. */
const MASKABLE_COLUMNS = new Set(['subject', 'payment_id', 'merchant_id', 'country', 'method', 'card_bin', 'routing_key', 'source', 'id']);

/** The subject, masked as a masked field is when it holds that field's value (the payment id with --mask paymentId). */
function maskedSubject(masker: Masker, r: EventRow, data: unknown): unknown {
  const subject = r.subject;
  if (!masker.enabled || subject === null || subject === undefined) return subject;
  for (const c of MASKABLE_COLUMNS) {
    const field = COLUMN_FIELDS[c];
    if (c !== 'subject' && masker.masks(field) && r[field] !== null && String(r[field]) === subject) return masker.value(field, subject);
  }
  const inData = masker.maskedFieldHolding(data, subject);
  return inData === null ? masker.value('subject', subject) : masker.value(inData, subject);
}

function tempFor(outFile: string): string {
  return path.join(path.dirname(outFile), `.${path.basename(outFile)}.${randomBytes(4).toString('hex')}.partial`);
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/** Runs one export to `outFile` (atomically). Rejects with ExportCancelledError when aborted. */
export async function runExport(store: ReadStore, o: ExportOptions): Promise<ExportResult> {
  const target = path.resolve(o.outFile);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  const temp = tempFor(target);
  const check = () => {
    if (o.signal?.aborted) throw new ExportCancelledError();
  };
  try {
    check();
    let result: ExportResult;
    if (o.format === 'csv') result = await writeCsv(store, o, temp, check);
    else {
      o.onProgress?.({ done: 0, total: 2, bytes: 0 });
      const { signal: _signal, onProgress: _onProgress, build, ...request } = o;
      const report = build ? await build(request) : buildReport(store, request);
      check();
      o.onProgress?.({ done: 1, total: 2, bytes: 0 });
      // Characters that are not drawn but act on what is (a bidi override in a merchant id) as
      // \uXXXX, as `payops report --json` writes them: the same JSON to a reader.
      if (o.format === 'json') fs.writeFileSync(temp, `${withFormatCharactersShown(JSON.stringify(report, null, 2))}\n`);
      else if (o.format === 'html') fs.writeFileSync(temp, renderReportHtml(report));
      else await htmlToPdf(renderReportHtml(report), temp, o.signal);
      check();
      const bytes = fs.statSync(temp).size;
      o.onProgress?.({ done: 2, total: 2, bytes });
      result = { file: target, bytes, rows: report.totals.events, report };
    }
    check();
    commitTempFile(temp, target);
    return result;
  } catch (err) {
    fs.rmSync(temp, { force: true });
    if (o.signal?.aborted) throw new ExportCancelledError();
    throw err;
  }
}

async function writeCsv(store: ReadStore, o: ExportOptions, temp: string, check: () => void): Promise<ExportResult> {
  const w = resolveWindow(store, o);
  const masker = new Masker({ enabled: o.mask !== false, extraFields: o.maskFields });
  const filterNote = csvFilterNote(o.filter, masker);
  // The events stored when the export begins, counted and bounded as of one moment. The rollups
  // count the window's events, not a filter's: a filtered export's total is 0 (not known) until
  // its last row, rather than a total it would never reach.
  const { windowEvents, throughSeq } = store.readConsistent(() => ({ windowEvents: windowFigures(store, w.from, w.to).events, throughSeq: store.events.newestSeq() }));
  const expected = filterNote === null ? windowEvents : 0;
  const chunk = Math.max(1, o.chunkRows ?? 2000);
  const out = fs.createWriteStream(temp, { flags: 'wx' });
  let failed: Error | null = null;
  out.on('error', (err) => (failed = err));
  const write = async (text: string) => {
    if (failed) throw failed;
    if (!out.write(text)) await new Promise<void>((resolve, reject) => {
      const done = () => (out.off('drain', done), out.off('error', onErr), resolve());
      const onErr = (e: Error) => (out.off('drain', done), reject(e));
      out.once('drain', done);
      out.once('error', onErr);
    });
  };
  let rows = 0;
  let bytes = 0;
  try {
    const columns: readonly string[] = filterNote === null ? CSV_COLUMNS : FILTERED_CSV_COLUMNS;
    const header = csvLine([...columns]);
    bytes += Buffer.byteLength(header);
    await write(`\ufeff${header}`);
    // Keyset chunks in time order: each chunk is one complete statement, so nothing is held
    // open on the connection while other work (ingest) runs between chunks.
    const next = o.filter ? filteredChunks(store, o.filter, w, throughSeq, chunk) : windowChunks(store, w, throughSeq, chunk);
    for (;;) {
      check();
      const { batch, more } = next();
      if (batch.length === 0 && !more) break;
      let text = '';
      for (const r of batch) {
        const data = r.event.data ?? null;
        const values = columns.map((c) => {
          if (c === 'time') return new Date(r.timeMs).toISOString();
          if (c === 'arrival') return new Date(r.arrivalMs).toISOString();
          if (c === 'data') return data === null ? null : JSON.stringify(masker.deep(data));
          if (c === 'amount') return r.amount === null || !r.currency || knownCurrencyDigits(r.currency) === null ? null : minorToMajorString(r.amount, r.currency);
          if (c === 'decline_meaning') return r.declineCode === null ? null : declineCodeInfo(r.declineCode).meaning;
          if (c === 'decline_kind') return r.declineCode === null ? null : declineCodeInfo(r.declineCode).kind;
          if (c === 'filter') return filterNote;
          const field = COLUMN_FIELDS[c];
          if (c === 'subject') return maskedSubject(masker, r, data);
          return MASKABLE_COLUMNS.has(c) ? masker.value(field, r[field]) : masker.scrub(r[field]);
        });
        text += csvLine(values);
      }
      rows += batch.length;
      bytes += Buffer.byteLength(text);
      await write(text);
      if (!more) break;
      o.onProgress?.({ done: rows, total: expected === 0 ? 0 : Math.max(expected, rows), bytes });
      await yieldNow();
    }
    check();
    o.onProgress?.({ done: rows, total: rows, bytes });
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (failed) throw failed;
  } catch (err) {
    if (!out.destroyed) out.destroy();
    if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
    throw err;
  }
  return { file: path.resolve(o.outFile), bytes, rows, report: null };
}

type Chunks = () => { batch: RestoredEvent[]; more: boolean };

/** Every event of the window stored up to `throughSeq`, in (time, seq) keyset chunks. */
function windowChunks(store: ReadStore, w: { from: number; to: number }, throughSeq: number, chunk: number): Chunks {
  let lastT = w.from - 1;
  let lastSeq = 0;
  return () => {
    const batch = store.reports.exportChunk(Math.max(w.from, lastT), w.to, lastT, lastSeq, throughSeq, chunk);
    const last = batch[batch.length - 1];
    if (last) [lastT, lastSeq] = [last.timeMs, last.seq];
    return { batch, more: batch.length === chunk };
  };
}

/**
 * The window's events that match an explorer filter, stored up to `throughSeq`, as the filtered
 * report walks them (matchingEvents: the explorer's own pages, oldest first), each chunk's rows
 * read whole with one query for the CSV's data column (not one statement per row).
 */
function filteredChunks(store: ReadStore, filter: EventFilter, w: { from: number; to: number }, throughSeq: number, chunk: number): Chunks {
  const rows = matchingEvents(store, filter, w.from, w.to);
  return () => {
    const seqs: number[] = [];
    let more = true;
    while (seqs.length < chunk) {
      const next = rows.next();
      if (next.done) {
        more = false;
        break;
      }
      if (next.value.seq <= throughSeq) seqs.push(next.value.seq);
    }
    return { batch: store.reports.restoredBySeqs(seqs), more };
  };
}
