// A collector's half of "nothing lost": what the metrics stream must carry is written to the
// outbox inside the very transaction that stores it (a batch's rollups and counters, an alert
// save), so a crash after a commit never leaves a follower short of that commit. Each payload
// carries this process's incarnation: a random id chosen at each start, kept with the payload,
// so a row published again by a later start still names the process that numbered it, and a
// follower tells a restored database (new process, lower sequence) from a re-publication. And
// its intake (stream or queue): what a restored stream-fed collector publishes again are the
// figures it re-reads, what a restored queue-fed one publishes is new.
import { randomUUID } from 'node:crypto';
import type { QueueDepth } from '../../../shared/metrics';
import { isEmptyPayload, type MetricsIntake, type MetricsPayload } from '../../../shared/metricsStream';
import type { Store } from '../store/store';

/** Starts recording into the outbox; returns the recorder of queue samples (their own small transaction). */
export function recordMetricsOutbox(store: Store, intake: MetricsIntake, now: () => number = Date.now, incarnation: string = randomUUID()): (samples: readonly QueueDepth[]) => void {
  const append = (payload: MetricsPayload): void => {
    if (!isEmptyPayload(payload)) store.metricsStream.appendOutbox(now(), { ...payload, incarnation, intake });
  };
  store.ingest.onWrite = (cells, out) => {
    const counters: MetricsPayload['counters'] = {};
    if (out.duplicates) counters.duplicates = out.duplicates;
    if (out.redeliveredDuplicates) counters.redelivered_duplicates = out.redeliveredDuplicates;
    if (out.quarantined) counters.quarantined = out.quarantined;
    if (out.unknownTypes) counters.unknown_types = out.unknownTypes;
    append({ rollups: cells, counters, queueSamples: [], alerts: [] });
    // A payload of its own, in the same transaction: a follower of a payops before this counter
    // refuses a message that carries it (its schema is strict) and would lose the batch's
    // rollups with it; this way it skips this message only.
    if (out.conflictingDuplicates) append({ rollups: [], counters: { conflicting_duplicates: out.conflictingDuplicates }, queueSamples: [], alerts: [] });
  };
  store.alerts.onSave = (records) => append({ rollups: [], counters: {}, queueSamples: [], alerts: [...records] });
  return (samples) => {
    try {
      append({ rollups: [], counters: {}, alerts: [], queueSamples: samples.map((s) => ({ at: s.at, queue: s.queue, messages: s.messages, consumers: s.consumers, oldestMessageAgeSeconds: ageOrNull(s.oldestMessageAgeSeconds) })) });
    } catch {
      // A queue sample is a nicety: a full disk refuses it here as it refused the sample itself.
    }
  };
}

/** An age the stream's schema takes: a follower refuses a whole message over one bad figure. */
function ageOrNull(seconds: number | null | undefined): number | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
