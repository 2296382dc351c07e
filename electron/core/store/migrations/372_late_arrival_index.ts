import type { Database } from 'better-sqlite3';

/** The least lag (arrival minus event time, ms) of an event the late-arrival index holds. */
export const LATE_ARRIVAL_INDEX_LAG_MS = 60_000;

/**
 * The late-arrival index: events that arrived more than a minute after their event time, by
 * arrival. A replay sought back fills its arrival windows (what arrived in the 2 minutes before
 * its clock) from the store: the events of the minutes before the clock through the time index,
 * and an older event that arrived then (a backlog) through this one. Partial, so an event on
 * time (the common case) costs ingest only the test of its lag.
 */
export const LATE_ARRIVAL_INDEX_SQL = `CREATE INDEX IF NOT EXISTS event_log_late_arrival ON event_log (arrival_ms, time_ms) WHERE arrival_ms - time_ms > ${LATE_ARRIVAL_INDEX_LAG_MS}`;

// Built over what is stored (one pass over event_log); run again, it finds the index there.
export const migration372 = {
  version: 372,
  name: 'late-arrival index (events over a minute behind, by arrival)',
  up(db: Database): void {
    db.exec(LATE_ARRIVAL_INDEX_SQL);
  },
};
