// Export jobs inside the engine: start, poll progress, cancel. A job writes to a temporary
// file renamed at the end; cancelling removes it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EventFilter, ReportData, ReportFormat, ReportJob } from '../../../shared/explorer';
import type { ReadStore } from '../store/store';
import { ExportCancelledError, runExport } from './reportExport';
import type { ReportRequest } from './reportData';
import { resolveWindow } from './reportData';

const KEEP_FINISHED = 50;

export interface StartExport extends ReportRequest {
  format: ReportFormat;
  /** CSV: only the window's events that match this explorer filter. */
  filter?: EventFilter;
  /** Where to write; by default `<exportsDir>/payops-report-<from>-<to>.<ext>`. */
  outFile?: string;
}

export class ExportJobs {
  private readonly jobs = new Map<string, { job: ReportJob; controller: AbortController; done: Promise<void>; outFile: string }>();

  constructor(
    private readonly store: ReadStore,
    private readonly exportsDir: string,
    /** How reports are built (the engine builds them off its thread). */
    private readonly build?: (request: ReportRequest) => Promise<ReportData>,
  ) {}

  start(req: StartExport): ReportJob {
    // Resolve the window now so that a bad window or unknown alert fails the request itself.
    const w = resolveWindow(this.store, req);
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[:.]/g, '').replace(/-/g, '');
    let outFile = req.outFile;
    if (!outFile) {
      fs.mkdirSync(this.exportsDir, { recursive: true });
      outFile = this.freeName(`payops-report-${stamp(w.from)}-${stamp(w.to)}`, req.format);
    }
    const jobId = randomUUID();
    const job: ReportJob = { jobId, format: req.format, state: 'running', done: 0, total: 0, bytes: 0, file: null, error: null };
    const controller = new AbortController();
    const done = runExport(this.store, {
      ...req,
      from: w.from,
      to: w.to,
      alertKey: req.alertKey,
      outFile,
      signal: controller.signal,
      build: this.build,
      onProgress: (p) => Object.assign(job, p),
    }).then(
      (r) => Object.assign(job, { state: 'done', file: r.file, bytes: r.bytes }),
      (err) => Object.assign(job, err instanceof ExportCancelledError ? { state: 'cancelled' } : { state: 'failed', error: (err as Error).message }),
    ).then(() => undefined);
    this.jobs.set(jobId, { job, controller, done, outFile });
    this.prune();
    return { ...job };
  }

  /**
   * A name in the exports folder that no earlier export has (nor one still being written):
   * exporting the same window again keeps the first file, as a browser's downloads do ("-2").
   */
  private freeName(base: string, ext: string): string {
    const running = new Set([...this.jobs.values()].filter((e) => e.job.state === 'running').map((e) => e.outFile));
    for (let n = 1; ; n++) {
      const file = path.join(this.exportsDir, `${base}${n === 1 ? '' : `-${n}`}.${ext}`);
      if (!running.has(file) && !fs.existsSync(file)) return file;
    }
  }

  progress(jobId: string): ReportJob {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`no export job ${jobId}`);
    return { ...entry.job };
  }

  async cancel(jobId: string): Promise<ReportJob> {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`no export job ${jobId}`);
    if (entry.job.state === 'running') {
      entry.controller.abort();
      await entry.done;
    }
    return { ...entry.job };
  }

  /** Waits for a job to finish (tests, CLI). */
  async wait(jobId: string): Promise<ReportJob> {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`no export job ${jobId}`);
    await entry.done;
    return { ...entry.job };
  }

  /** Stops every running job and waits until their partial files are gone. */
  async cancelAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((e) => e.job.state === 'running');
    for (const e of running) e.controller.abort();
    await Promise.all(running.map((e) => e.done));
  }

  private prune(): void {
    const finished = [...this.jobs].filter(([, e]) => e.job.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(id);
  }
}
