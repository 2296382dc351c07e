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
