// Thread: the engine thread.
// When the explorer's secondary indexes are written (store/explorerIndexes.ts): a replay is a
// bulk load, so it defers them and builds them once when its capture is drained (or the
// session stops first); every other session keeps them maintained, building any a killed
// replay left missing. A replay into a database that already holds many events keeps them up
// as it goes: the build at its end reads every stored event, not only the replayed ones.
import { countText } from '../../../shared/countText';
import type { Store } from '../store/store';
import type { EngineEmitter } from './engine';

/**
 * From this many stored events, a replay keeps the indexes up. Building them took 26 s at
 * 10,000,000 events (2.6 µs per stored event); keeping them up costs a replayed event ~5 µs more
 * (BENCHMARKS.md, twelfth session). So deferring pays when the replay stores about as many events
 * as the database holds; at 1,000,000 stored the build costs ~3 s.
 */
export const DEFER_INDEXES_BELOW_EVENTS = 1_000_000;

export interface BulkIndexPolicy {
  /** The emitter to give the engine: `drained` builds the indexes before it is passed on. */
  readonly emitter: EngineEmitter;
  /** Builds what is missing (idempotent). */
  build(): void;
  /** At the session's end: a bulk load builds what it deferred; any other session has nothing to do
   * (and must not wait on a database another process holds locked). */
  finish(): void;
}

export function bulkIndexPolicy(store: Store, bulk: boolean, emit: EngineEmitter, deferBelow = DEFER_INDEXES_BELOW_EVENTS): BulkIndexPolicy {
  const build = (): void => {
    const started = performance.now();
    const built = store.buildExplorerIndexes();
    if (built > 0) emit.log(`built ${countText(built, 'explorer index', 'explorer indexes')} in ${Math.round(performance.now() - started)} ms`);
  };
  const stored = bulk ? store.events.approximateCount() : 0;
  if (bulk && stored >= deferBelow) {
    emit.log(`the database holds about ${stored.toLocaleString('en-US')} events: the explorer's indexes are kept up during this replay (building them at its end would read them all)`);
  }
  if (!bulk || stored >= deferBelow) {
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
