// A payops engine process consuming one classic, quorum or stream queue into one database until
// it has it all: a classic or quorum queue drained (exit 0), a stream read up to LAST_OFFSET and
// everything in hand committed. Started with a small V8 heap (--max-old-space-size), so that a
// genuinely huge message exhausts the consumer thread's heap while it is decoded: the thread is
// terminated (and the engine starts another), or, inside one allocation too big, the whole process
// aborts. Nothing here touches the message: the death is the decoder's own. Run with tsx:
//   node --max-old-space-size=N --require tsx/cjs test/support/decodeCrashLoopChild.ts DB URL QUEUE TYPE MAX_BODY_BYTES [LAST_OFFSET]
import { DEFAULT_BROKER } from '../../electron/core/broker/brokerConfig';
import { streamOffsetOf } from '../../electron/core/broker/streamOffsetHeader';
import { Engine } from '../../electron/core/engine/engine';
import { resumeStream } from '../../electron/core/engine/streamResume';
import { LiveMetrics } from '../../electron/core/metrics/liveMetrics';
import { openStore } from '../../electron/core/store/store';

const [dbFile, url, queue, queueType, maxBodyBytes, lastOffset] = process.argv.slice(2);
const log = (line: string) => process.stderr.write(`${line}\n`);
const store = openStore(dbFile);
const stream = queueType === 'stream';
const broker = resumeStream(
  store,
  {
    ...DEFAULT_BROKER,
    url,
    queue,
    queueType: queueType as 'classic' | 'quorum' | 'stream',
    existingQueue: true,
    prefetch: 50,
    initialRetries: 1,
    ...(stream ? { streamOffset: 'first' as const } : {}),
  },
  log,
);
let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
const engine = new Engine(
  // A stream is never empty: it is read up to LAST_OFFSET instead of drained.
  { dbFile, session: 'live', broker, drain: !stream, maxBodyBytes: Number(maxBodyBytes), rulesFile: null },
  {
    store,
    metrics: new LiveMetrics(),
    stored: store.stats(),
    broker,
    tap: (raw) => {
      if (stream && streamOffsetOf(raw.headers) === Number(lastOffset)) finish();
    },
  },
  { snapshot: () => undefined, log, drained: () => finish() },
);
void (async () => {
  await engine.start();
  await finished;
  await engine.stop();
  store.close();
  process.exit(0);
})();
