// The services the engine's threads serve, as types only: the host side imports this file to
// type its proxies (host/engineHost.ts) and nothing else of the engine. Contract services are
// the API's own (shared/apiDispatch.ts); a few methods take what only a host may set (where
// rules are saved, where an export is written) and the engine-only `ingest` service is not
// part of the API at all.
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { AlertRule } from '../../../shared/alertRules';
import type { StoreStats } from '../../../shared/storeStats';

export interface IngestTiming {
  /** When the first delivery arrived and the last acknowledgement went out (benchmarks read it). */
  firstDeliveryMs: number | null;
  lastAckMs: number | null;
  acknowledged: number;
}

/** Engine-only requests of the CLI and benchmarks. */
export interface IngestService {
  timing(): IngestTiming;
  stats(): StoreStats;
}

export interface RulesService extends Omit<ApiService<'rules'>, 'save' | 'backtest'> {
  /** `path`: where the host decided rules live (never chosen by the renderer); by default the session's rules file. */
  save(args: ApiParsedArgs<'rules.save'> & { path?: string }): ApiResults['rules.save'];
  current(): AlertRule[];
}

export interface ReportService extends Omit<ApiService<'report'>, 'export'> {
  /** `outFile`: a file the host chose (a save dialog); by default one beside the database. */
  export(args: ApiParsedArgs<'report.export'> & { outFile?: string }): ApiResults['report.export'] | Promise<ApiResults['report.export']>;
}

export interface BacktestService {
  run(args: ApiParsedArgs<'rules.backtest'>): Promise<ApiResults['rules.backtest']>;
}

/** What the engine worker serves: the session's writer side. */
export interface EngineServices {
  ingest: IngestService;
  store: ApiService<'store'>;
  metrics: ApiService<'metrics'>;
  alerts: ApiService<'alerts'>;
  rules: RulesService;
  capture: ApiService<'capture'>;
  /** Dead letters of the session's broker: browse, dry run, redrive, audit (issue 15). */
  deadLetters: ApiService<'deadLetters'>;
  /** Present in replay sessions only. */
  replay: Pick<ApiService<'replay'>, 'control' | 'status'>;
}

/** What the read worker serves, on a read-only connection: heavy reads never wait on ingest. */
export interface ReaderServices {
  events: ApiService<'events'>;
  quarantine: ApiService<'quarantine'>;
  report: ReportService;
  backtest: BacktestService;
  /** Explain and the segment health board (issue 13). */
  triage: ApiService<'triage'>;
  dashboard: ApiService<'dashboard'>;
}
