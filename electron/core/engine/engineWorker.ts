// Worker-thread entry: ingest and SQLite run here, off the thread that serves windows and IPC.
// It serves the session's services over the RPC and pushes snapshots, alerts and log lines.
import { parentPort, workerData } from 'node:worker_threads';
import { RpcPeer, type RpcPort } from '../../../shared/rpc';
import { safeErrorMessage } from '../redact';
import { composeEngine, type EngineSession } from './composeEngine';
import type { EngineConfig } from './engineConfig';

const port = parentPort;
if (!port) throw new Error('engineWorker must run in a worker thread');
const peer = new RpcPeer(port as RpcPort, { describeError: safeErrorMessage });
const fatal = (err: unknown) => peer.emit('fatal', { error: safeErrorMessage(err), kind: (err as { kind?: string }).kind ?? (err as Error)?.constructor?.name ?? 'Error' });

async function main(): Promise<void> {
  let session: EngineSession;
  try {
    session = composeEngine(workerData as EngineConfig, {
      snapshot: (snapshot) => peer.emit('snapshot', snapshot),
      alert: (notification) => peer.emit('alert', notification),
      silence: (change) => peer.emit('silence', change),
      log: (line) => peer.emit('log', line),
      drained: () => peer.emit('drained'),
    });
  } catch (err) {
    fatal(err);
    return;
  }
  for (const [name, service] of Object.entries(session.services)) peer.serve(name, service);
  peer.serve('lifecycle', {
    async stop() {
      await session.stop().catch((err) => peer.emit('log', `stop: ${safeErrorMessage(err)}`));
      // After this call's reply has been posted.
      setImmediate(() => port!.close());
    },
  });
  try {
    await session.start();
    peer.emit('ready');
  } catch (err) {
    fatal(err);
    await session.stop().catch(() => undefined);
  }
}

void main();
