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
  const services = {
    events: new EventsService(store),
    quarantine: new QuarantineService(store),
    report,
    backtest: new BacktestService(store),
    triage: new TriageService(store),
    dashboard: new DashboardService(store),
  } satisfies ReaderServices;
  for (const [name, service] of Object.entries(services)) peer.serve(name, service);
  peer.serve('lifecycle', {
    async stop() {
      await report.cancelAll();
      store.close();
    },
  });
  peer.emit('ready');
  warmLongRange(services.dashboard);
} catch (err) {
  peer.emit('fatal', { error: safeErrorMessage(err), kind: (err as Error)?.constructor?.name ?? 'Error' });
}

/**
 * Answers a 7-day dashboard range once, as soon as the worker is up: the first switch to a long
 * range otherwise pays for a cold read path (SQLite's page cache for the ten-minute rollups,
 * code not yet compiled), 100-150 ms on 10 M events. It reads rollups only, a few hundred
 * milliseconds at most on the largest database, and a request that arrives meanwhile waits for
 * it once.
 */
function warmLongRange(dashboard: DashboardService): void {
  setImmediate(() => {
    try {
      const now = Date.now();
      dashboard.series({ fromMs: now - 7 * 24 * 3600_000, toMs: now, compare: 'none' });
    } catch {
      // Only a warm-up: the operator's own request reports what is wrong.
    }
  });
}
