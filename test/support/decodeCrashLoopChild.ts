// A payops engine process consuming one classic or quorum queue into one database until the queue
// is drained (exit 0). Started with a small V8 heap (--max-old-space-size), so that a genuinely
// huge message exhausts the consumer thread's heap while it is decoded: inside JSON.parse that
// aborts the whole process (SIGABRT), as a console whose consumer thread a message crashes ends.
// Nothing here touches the message: the death is the decoder's own. Run with tsx:
//   node --max-old-space-size=N --require tsx/cjs test/support/decodeCrashLoopChild.ts DB URL QUEUE TYPE MAX_BODY_BYTES
import { DEFAULT_BROKER } from '../../electron/core/broker/brokerConfig';
import { Engine } from '../../electron/core/engine/engine';
import { LiveMetrics } from '../../electron/core/metrics/liveMetrics';
import { openStore } from '../../electron/core/store/store';

const [dbFile, url, queue, queueType, maxBodyBytes] = process.argv.slice(2);
const log = (line: string) => process.stderr.write(`${line}\n`);
const store = openStore(dbFile);
const broker = { ...DEFAULT_BROKER, url, queue, queueType: queueType as 'classic' | 'quorum', existingQueue: true, prefetch: 50, initialRetries: 1 };
let drained: () => void = () => undefined;
const empty = new Promise<void>((resolve) => (drained = resolve));
const engine = new Engine(
  { dbFile, session: 'live', broker, drain: true, maxBodyBytes: Number(maxBodyBytes), rulesFile: null },
  { store, metrics: new LiveMetrics(), stored: store.stats(), broker },
  { snapshot: () => undefined, log, drained: () => drained() },
);
void (async () => {
  await engine.start();
  await empty;
  await engine.stop();
  store.close();
  process.exit(0);
})();
