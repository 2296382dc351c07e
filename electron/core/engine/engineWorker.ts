// Worker-thread entry: ingest and SQLite run here, off the thread that serves windows and IPC.
import { parentPort, workerData } from 'node:worker_threads';
import { safeErrorMessage } from '../redact';
import { Engine } from './engine';
import type { EngineConfig } from './engineConfig';
import { createSessionSource } from './sessionSource';
import type { FromWorker, ToWorker } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('engineWorker must run in a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

async function main(): Promise<void> {
  const config = workerData as EngineConfig;
  let engine: Engine;
  try {
    engine = new Engine(config, {
      snapshot: (snapshot) => post({ type: 'snapshot', snapshot }),
      alert: (notification) => post({ type: 'alert', notification }),
      log: (line) => post({ type: 'log', line }),
      drained: () => post({ type: 'drained' }),
    });
  } catch (err) {
    post({ type: 'fatal', error: safeErrorMessage(err), kind: (err as { kind?: string }).kind ?? (err as Error)?.constructor?.name ?? 'Error' });
    return;
  }
  port!.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      engine
        .stop()
        .catch((err) => post({ type: 'log', line: `stop: ${safeErrorMessage(err)}` }))
        .finally(() => {
          post({ type: 'stopped' });
          port!.close();
        });
      return;
    }
    engine
      .request(message.name, message.args)
      .then((result) => post({ type: 'response', id: message.id, ok: true, result }))
      .catch((err) => post({ type: 'response', id: message.id, ok: false, error: safeErrorMessage(err) }));
  });
  try {
    await engine.start(createSessionSource(config, engine));
    post({ type: 'ready' });
  } catch (err) {
    post({ type: 'fatal', error: safeErrorMessage(err), kind: (err as { kind?: string }).kind ?? (err as Error)?.constructor?.name ?? 'Error' });
    await engine.stop().catch(() => undefined);
  }
}

void main();
