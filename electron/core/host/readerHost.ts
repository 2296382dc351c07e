// The main-thread handle of a session's read worker: explorer pages, reports, exports and
// backtests on a read-only connection of their own, so that neither ingest nor the engine
// thread's snapshots ever wait behind them (WAL lets it read while the engine writes).
import type { Remote } from '../../../shared/rpc';
import type { ReaderServices } from '../engine/engineServices';
import type { ReaderConfig } from '../reader/readerConfig';
import { startWorker, type StartedWorker } from '../threads/workerHandle';

export type ReaderProxies = { [K in keyof ReaderServices]: Remote<ReaderServices[K]> };

export class ReaderHost {
  readonly services: ReaderProxies;

  private constructor(private readonly handle: StartedWorker) {
    const peer = handle.peer;
    this.services = { events: peer.remote('events'), quarantine: peer.remote('quarantine'), report: peer.remote('report'), backtest: peer.remote('backtest'), triage: peer.remote('triage'), dashboard: peer.remote('dashboard') };
  }

  static async start(config: ReaderConfig): Promise<ReaderHost> {
    return new ReaderHost(await startWorker(__filename, '../reader/readWorker', config, { label: 'read worker' }));
  }

  /** Cancels running exports (their partial files are removed) and ends the thread. */
  async stop(): Promise<void> {
    await this.handle.peer.call('lifecycle', 'stop').catch(() => undefined);
    await this.handle.worker.terminate();
  }
}
