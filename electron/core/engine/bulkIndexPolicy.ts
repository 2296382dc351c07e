// Thread: the engine thread.
// When the explorer's secondary indexes are written (store/explorerIndexes.ts): a replay is a
// bulk load, so it defers them and builds them once when its capture is drained (or the
// session stops first); every other session keeps them maintained, building any a killed
// replay left missing.
import type { Store } from '../store/store';
import type { EngineEmitter } from './engine';

export interface BulkIndexPolicy {
  /** The emitter to give the engine: `drained` builds the indexes before it is passed on. */
  readonly emitter: EngineEmitter;
  /** Builds what is missing (idempotent). */
  build(): void;
  /** At the session's end: a bulk load builds what it deferred; any other session has nothing to do
   * (and must not wait on a database another process holds locked). */
  finish(): void;
}

export function bulkIndexPolicy(store: Store, bulk: boolean, emit: EngineEmitter): BulkIndexPolicy {
  const build = (): void => {
    const started = performance.now();
    const built = store.buildExplorerIndexes();
    if (built > 0) emit.log(`built ${built} explorer index(es) in ${Math.round(performance.now() - started)} ms`);
  };
  if (!bulk) {
    build();
    return { emitter: emit, build, finish: () => undefined };
  }
  store.deferExplorerIndexes();
  const emitter: EngineEmitter = {
    snapshot: (s) => emit.snapshot(s),
    alert: emit.alert && ((n) => emit.alert?.(n)),
    log: (line) => emit.log(line),
    drained: () => {
      build();
      emit.drained?.();
    },
  };
  const finish = (): void => {
    try {
      build();
    } catch (err) {
      emit.log(`explorer indexes not built at the end of the replay (built at the next start): ${(err as Error).message}`);
    }
  };
  return { emitter, build, finish };
}
