// Thread: either; reads only (the rollups and counters, never a scan of raw events).
import type { CounterRepository } from './counterRepository';
import type { EventRepository } from './eventRepository';
import type { RollupRepository } from './rollupRepository';
import type { StoreStats } from '../../../shared/storeStats';

export type { StoreStats } from '../../../shared/storeStats';

/** Figures from the rollups and counters (never a scan of raw events), so it is instant at any size. */
export function computeStats(store: { rollups: RollupRepository; counters: CounterRepository; events: EventRepository }): StoreStats {
  const byType: Record<string, number> = {};
  let events = 0;
  for (const row of store.rollups.countsByType()) {
    byType[row.key] = row.n;
    events += row.n;
  }
  const authorizedAmountByCurrency: Record<string, number> = {};
  for (const row of store.rollups.authorizedByCurrency()) authorizedAmountByCurrency[row.key] = row.total;
  const range = store.events.timeRange() ?? secondsRange(store.rollups);
  return {
    events,
    byType,
    quarantined: store.counters.value('quarantined'),
    quarantineHeld: store.counters.quarantineHeld(),
    duplicates: store.counters.value('duplicates'),
    redeliveredDuplicates: store.counters.value('redelivered_duplicates'),
    conflictingDuplicates: store.counters.value('conflicting_duplicates'),
    unknownTypes: store.counters.value('unknown_types'),
    authorizedAmountByCurrency,
    firstEventTime: range === null ? null : new Date(range.first).toISOString(),
    lastEventTime: range === null ? null : new Date(range.last).toISOString(),
  };
}

/**
 * The time range of the rollups, to the second: a follower's database holds the collector's
 * figures and no raw event, and its counts should not come with a null time range.
 */
function secondsRange(rollups: RollupRepository): { first: number; last: number } | null {
  const seconds = rollups.secondRange();
  return seconds && { first: seconds.first * 1000, last: seconds.last * 1000 };
}
