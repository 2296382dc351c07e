// Worker-side answers to the explorer, timeline, quarantine and report requests. The engine
// host forwards them (EngineHost.request(name, args)); arguments are validated here too,
// with the shared schemas, because the worker trusts nobody.
import path from 'node:path';
import { explorerRequestSchemas, type ExplorerRequestName, type ExplorerResults } from '../../../shared/explorer';
import type { Engine } from '../engine/engine';
import { ExportJobs, type StartExport } from '../report/exportJobs';
import type { ReportRequest } from '../report/reportData';
import { buildReportOffThread } from '../report/reportWorker';
import { quarantineGet, quarantinePage } from './quarantineQuery';
import { paymentTimeline } from './timeline';

function parse<K extends ExplorerRequestName>(name: K, args: unknown) {
  const parsed = explorerRequestSchemas[name].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${name}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`);
  }
  return parsed.data as never;
}

export interface ExplorerRegistration {
  jobs: ExportJobs;
}

/**
 * Registers events.query, events.get, events.timeline, quarantine.query, quarantine.get,
 * report.build, report.export (+ optional `outFile`, set by the host, never by the renderer),
 * report.progress and report.cancel. Exports without `outFile` go to `exportsDir`
 * (default: an "exports" folder beside the database).
 */
export function registerExplorerRequests(engine: Pick<Engine, 'store' | 'handle'> & { config: { dbFile: string } }, exportsDir?: string): ExplorerRegistration {
  const store = engine.store;
  // Reports read millions of rows: they run in a worker thread on a read-only connection.
  const build = (req: ReportRequest) => buildReportOffThread(engine.config.dbFile, req);
  const jobs = new ExportJobs(store, exportsDir ?? path.join(path.dirname(path.resolve(engine.config.dbFile)), 'exports'), build);
  const on = <K extends ExplorerRequestName>(name: K, fn: (args: unknown, raw: Record<string, unknown>) => ExplorerResults[K] | Promise<ExplorerResults[K]>) =>
    engine.handle(name, (args) => fn(args, (args ?? {}) as Record<string, unknown>));

  on('events.query', (a) => {
    const { filter, order, limit, cursor } = parse('events.query', a) as { filter: object; order: 'asc' | 'desc'; limit: number; cursor: null };
    return store.eventPages.page({ filter, order, limit, cursor });
  });
  on('events.get', (a) => ({ event: store.events.get((parse('events.get', a) as { seq: number }).seq) }));
  on('events.timeline', (a) => paymentTimeline(store, (parse('events.timeline', a) as { paymentId: string }).paymentId));
  on('quarantine.query', (a) => quarantinePage(store, parse('quarantine.query', a)));
  on('quarantine.get', (a) => ({ row: quarantineGet(store, (parse('quarantine.get', a) as { seq: number }).seq) }));
  on('report.build', (a) => build(parse('report.build', a)));
  on('report.export', (a, raw) => {
    // outFile is not part of the API schema: only the host (a save dialog) may choose it.
    const { outFile, ...rest } = raw;
    const req = parse('report.export', rest) as StartExport;
    if (typeof outFile === 'string' && outFile) req.outFile = outFile;
    void a;
    return jobs.start(req);
  });
  on('report.progress', (a) => jobs.progress((parse('report.progress', a) as { jobId: string }).jobId));
  on('report.cancel', (a) => jobs.cancel((parse('report.cancel', a) as { jobId: string }).jobId));
  return { jobs };
}
