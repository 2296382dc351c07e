// `--drain` on a stream queue, for `replay --from-stream` and `collect --queue-type stream`:
// a stream is never emptied by reading it, so the drain waits for the end the stream had at
// the start to be stored (streamDrain.ts), watched on the engine's snapshots.
import fs from 'node:fs';
import type { EngineHost } from '../../core/host/engineHost';
import type { EngineSnapshot } from '../../../shared/metrics';
import { streamEndOffset } from '../../core/broker/streamEnd';
import type { BrokerConfig } from '../../core/broker/brokerConfig';
import { redactSecrets } from '../../core/redact';
import { openStore } from '../../core/store/store';
import { logLine } from '../logLine';
import { drainTarget, StreamDrain } from './streamDrain';

/** The offset `--drain` waits to see stored (streamDrain.ts), or null when only quiet can tell. */
export async function streamDrainTarget(url: string, queue: string, dbFile: string, asked: NonNullable<BrokerConfig['streamOffset']>, idleMs: number): Promise<number | null> {
  let end: number | null;
  try {
    end = await streamEndOffset(url, queue, { waitMs: idleMs });
  } catch (err) {
    logLine(`--drain: could not find where stream ${queue} ends (${redactSecrets((err as Error).message)}); stopping after ${idleMs} ms of quiet`);
    return null;
  }
  const stored = fs.existsSync(dbFile) ? storedStreamOffset(dbFile, queue) : null;
  return drainTarget(end, stored !== null ? { stored: true } : { asked });
}

/** The offset stored for `queue` in an existing database (null before migration 121 or when none). */
function storedStreamOffset(dbFile: string, queue: string): number | null {
  try {
    const store = openStore(dbFile, { readonly: true });
    try {
      return store.streamOffsets.next(queue);
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}

/**
 * Calls `drained` once the session has stored the stream's end (or gone quiet, without one).
 * `queue` null: the console's own queue, named by the engine (its snapshot says which).
 */
export function watchStreamDrain(
  host: EngineHost,
  options: { dbFile: string; queue: string | null; drainTo: number | null; idleMs: number; stopped: () => boolean; drained: () => void },
): void {
  const drain = new StreamDrain(options.drainTo, options.idleMs);
  // The stored offset is read on a connection of its own (the engine thread writes it).
  const offsets = openStore(options.dbFile, { readonly: true });
  let stalledSaid = false;
  const queueName = (s: EngineSnapshot): string | null => options.queue ?? s.connection.queue?.name ?? null;
  host.on('snapshot', (s) => {
    if (options.stopped()) return;
    const state = drain.observe({
      handled: s.totals.events + s.totals.duplicates + s.totals.quarantined,
      connected: s.connection.state === 'connected',
      pendingBatch: s.ingest.pendingBatch,
      storedNext: queueName(s) === null ? null : offsets.streamOffsets.next(queueName(s)!),
    });
    if (state === 'drained') {
      offsets.close();
      options.drained();
    } else if (state === 'stalled' && !stalledSaid) {
      stalledSaid = true;
      logLine(`--drain: nothing has arrived for ${options.idleMs} ms, but the stream's end (offset ${options.drainTo}) is not stored yet; waiting for it`);
    } else if (state === 'consuming') {
      stalledSaid = false;
    }
  });
}
