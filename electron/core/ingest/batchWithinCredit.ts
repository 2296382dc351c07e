/**
 * A session's batch when none is asked for (a replay from a file asks for 10,000). A batch's
 * events wait in the engine's heap until it commits: at 5,000, every batch outlived a
 * young-generation collection or two and was copied, then promoted (a stream replay of 100,000
 * PaySim-derived events: 636 ms of collection pauses, 65 MB promoted; at 2,000: 385 ms, 42 MB).
 * Alternating runs drained faster at 2,000 (BENCHMARKS.md, tenth session), the extra commits
 * included.
 */
export const DEFAULT_INGEST_BATCH = 2000;

/**
 * The batch size a broker session commits at. Nothing is acknowledged before its batch
 * commits, so the broker stops sending once `prefetch` messages are unacknowledged: a batch
 * larger than that would only ever commit on the flush timer, with the broker idle meanwhile
 * (a stream replay with --prefetch 1000 and --batch-size 10000 ran at a third of its speed).
 * Half the prefetch keeps the other half in flight while a batch commits.
 */
export function batchWithinCredit(batchSize: number, prefetch: number | undefined): number {
  if (prefetch === undefined || prefetch <= 0) return batchSize;
  return Math.max(1, Math.min(batchSize, Math.floor(prefetch / 2)));
}
