// The API's `report` service, served by the read worker: reports built on its read-only
// connection (a 24-hour report reads millions of rows), exports as cancellable jobs.
import type { ReadStore } from '../store/store';
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ReportService as ReportServiceApi } from '../engine/engineServices';
import { ExportJobs } from './exportJobs';
import { buildReport } from './reportData';

export class ReportService implements ReportServiceApi {
  private readonly jobs: ExportJobs;

  constructor(
    private readonly store: ReadStore,
    /** Where exports go when the request names no file. */
    exportsDir: string,
  ) {
    this.jobs = new ExportJobs(store, exportsDir);
  }

  build(args: ApiParsedArgs<'report.build'>): ApiResults['report.build'] {
    return buildReport(this.store, args);
  }

  export(args: ApiParsedArgs<'report.export'> & { outFile?: string }): ApiResults['report.export'] {
    return this.jobs.start(args);
  }

  progress({ jobId }: ApiParsedArgs<'report.progress'>): ApiResults['report.progress'] {
    return this.jobs.progress(jobId);
  }

  cancel({ jobId }: ApiParsedArgs<'report.cancel'>): Promise<ApiResults['report.cancel']> {
    return this.jobs.cancel(jobId);
  }

  /** Stops running exports; their partial files are removed. */
  cancelAll(): Promise<void> {
    return this.jobs.cancelAll();
  }
}
