// Builds a report in a worker thread on its own read-only connection, so the engine thread
// (ingest, acknowledgements, snapshots) is never blocked by a report over millions of rows.
// WAL lets this reader see a consistent snapshot while the engine keeps writing.
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { ReportData } from '../../../shared/explorer';
import { openStore } from '../store/store';
import { buildReport, ReportWindowError, type ReportRequest } from './reportData';

interface Job {
  dbFile: string;
  request: ReportRequest;
}
type Reply = { ok: true; report: ReportData } | { ok: false; error: string; kind: string };

// Tests run the TypeScript sources; the worker always runs the compiled JavaScript.
function workerFile(): string | null {
  const here = __filename.endsWith('.ts') ? path.resolve(__dirname, '../../../dist/electron/core/report') : __dirname;
  const file = path.join(here, 'reportWorker.js');
  return fs.existsSync(file) ? file : null;
}

/** Builds the report off the calling thread; in-thread when no compiled worker exists. */
export function buildReportOffThread(dbFile: string, request: ReportRequest): Promise<ReportData> {
  const file = workerFile();
  if (!file || !fs.existsSync(dbFile)) {
    const store = openStore(dbFile, { readonly: true });
    try {
      return Promise.resolve(buildReport(store, request));
    } finally {
      store.close();
    }
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: { dbFile, request } satisfies Job });
    let settled = false;
    worker.once('message', (reply: Reply) => {
      settled = true;
      if (reply.ok) resolve(reply.report);
      else reject(reply.kind === 'ReportWindowError' ? new ReportWindowError(reply.error) : new Error(reply.error));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`report worker exited with code ${code}`));
    });
  });
}

if (!isMainThread && parentPort && (workerData as Job | undefined)?.dbFile) {
  const job = workerData as Job;
  let reply: Reply;
  try {
    const store = openStore(job.dbFile, { readonly: true });
    try {
      reply = { ok: true, report: buildReport(store, job.request) };
    } finally {
      store.close();
    }
  } catch (err) {
    reply = { ok: false, error: (err as Error).message, kind: (err as Error).constructor?.name ?? 'Error' };
  }
  parentPort.postMessage(reply);
}
