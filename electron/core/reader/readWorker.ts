// Worker-thread entry: a session's heavy reads (explorer pages, reports, exports, backtests)
// on a read-only connection of their own, so the engine thread never waits behind them. WAL
// lets this reader see committed data while the engine keeps writing.
import { parentPort, workerData } from 'node:worker_threads';
import { RpcPeer, type RpcPort } from '../../../shared/rpc';
import { BacktestService } from '../alerts/backtestService';
import { DashboardService } from '../dashboard/dashboardService';
import type { ReaderServices } from '../engine/engineServices';
import { EventsService, QuarantineService } from '../explorer/explorerServices';
import { safeErrorMessage } from '../redact';
import type { ReaderConfig } from './readerConfig';
import { ReportService } from '../report/reportService';
import { openStore } from '../store/store';
import { TriageService } from '../triage/triageService';

const port = parentPort;
if (!port) throw new Error('readWorker must run in a worker thread');
const peer = new RpcPeer(port as RpcPort, { describeError: safeErrorMessage });
const config = workerData as ReaderConfig;

try {
  const store = openStore(config.dbFile, { readonly: true });
  const report = new ReportService(store, config.exportsDir);
  const services: ReaderServices = {
    events: new EventsService(store),
    quarantine: new QuarantineService(store),
    report,
    backtest: new BacktestService(store),
    triage: new TriageService(store),
    dashboard: new DashboardService(store),
  };
  for (const [name, service] of Object.entries(services)) peer.serve(name, service);
  peer.serve('lifecycle', {
    async stop() {
      await report.cancelAll();
      store.close();
    },
  });
  peer.emit('ready');
} catch (err) {
  peer.emit('fatal', { error: safeErrorMessage(err), kind: (err as Error)?.constructor?.name ?? 'Error' });
}
