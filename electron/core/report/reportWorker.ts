// Builds a report in a worker thread on its own read-only connection, so the engine thread
// (ingest, acknowledgements, snapshots) is never blocked by a report over millions of rows.
// WAL lets this reader see a consistent snapshot while the engine keeps writing.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { ReportData } from '../../../shared/explorer';
import { openDatabase } from '../store/database';
import { buildReport, ReportWindowError, type ReportRequest } from './reportData';
import { workerScript } from '../workerScript';

interface Job {
  dbFile: string;
  request: ReportRequest;
}
type Reply = { ok: true; report: ReportData } | { ok: false; error: string; kind: string };

/** Builds the report off the calling thread, always in the worker. */
export function buildReportOffThread(dbFile: string, request: ReportRequest): Promise<ReportData> {
  const { file, execArgv } = workerScript(__filename, __dirname, 'reportWorker');
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { execArgv, workerData: { dbFile, request } satisfies Job });
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
    const db = openDatabase(job.dbFile, { readonly: true });
    try {
      reply = { ok: true, report: buildReport(db, job.request) };
    } finally {
      db.close();
    }
  } catch (err) {
    reply = { ok: false, error: (err as Error).message, kind: (err as Error).constructor?.name ?? 'Error' };
  }
  parentPort.postMessage(reply);
}
