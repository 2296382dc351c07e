// A payops engine process reading one stream queue into one database, that dies (SIGKILL, by its
// own hand: nothing after it runs, no batch commits, nothing is acknowledged) when it handles the
// poison message, as a process that a message crashes does. It exits 0 once it has handled the
// message at `lastOffset` and stopped (everything in hand committed). With PAYOPS_TEST_DIE_ON_PARSE
// set, it dies earlier: while its consumer thread decodes the message holding that text
// (dieOnParseHook.ts, loaded into that thread alone), before the engine has seen it. Run with tsx:
//   node --require tsx/cjs test/support/streamCrashLoopChild.ts DB URL QUEUE POISON_ID LAST_OFFSET
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import { DEFAULT_BROKER } from '../../electron/core/broker/brokerConfig';
import { streamOffsetOf } from '../../electron/core/broker/streamOffsetHeader';
import { Engine } from '../../electron/core/engine/engine';
import { resumeStream } from '../../electron/core/engine/streamResume';
import { LiveMetrics } from '../../electron/core/metrics/liveMetrics';
import { openStore } from '../../electron/core/store/store';

if (process.env.PAYOPS_TEST_DIE_ON_PARSE) {
  // The consumer thread gets the hook beside the flags workerScript gives it (nothing else differs).
  const hook = path.resolve(__dirname, 'dieOnParseHook.ts');
  const BaseWorker = workerThreads.Worker;
  workerThreads.Worker = class extends BaseWorker {
    constructor(file: string | URL, options: workerThreads.WorkerOptions = {}) {
      super(file, { ...options, execArgv: [...(options.execArgv ?? []), '--require', hook] });
    }
  };
}

const [dbFile, url, queue, poison, lastOffset] = process.argv.slice(2);
const log = (line: string) => process.stderr.write(`${line}\n`);
const store = openStore(dbFile);
const broker = resumeStream(
  store,
  { ...DEFAULT_BROKER, url, queue, queueType: 'stream' as const, existingQueue: true, prefetch: 50, streamOffset: 'first' as const, initialRetries: 1 },
  log,
);
let done: () => void = () => undefined;
const reachedEnd = new Promise<void>((resolve) => (done = resolve));
const engine = new Engine(
  // A batch commits only when the guard commits a message alone, or at the stop: whatever the
  // chunks are, nothing of a process's reads is stored before it handles the poison.
  { dbFile, session: 'live', broker, flushMs: 600_000, rulesFile: null },
  {
    store,
    metrics: new LiveMetrics(),
    stored: store.stats(),
    broker,
    tap: (raw, result) => {
      if (result.ok && result.event.id === poison) process.kill(process.pid, 'SIGKILL');
      if (streamOffsetOf(raw.headers) === Number(lastOffset)) done();
    },
  },
  { snapshot: () => undefined, log },
);
void (async () => {
  await engine.start();
  await reachedEnd;
  await engine.stop();
  store.close();
  process.exit(0);
})();
