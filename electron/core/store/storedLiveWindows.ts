// Thread: the engine thread (a replay's refill, engine/replayRefill.ts).
// What a replay sought back fills its live windows with, read from the stored events with SQLite
// doing the counting: a row handed to JavaScript cost several microseconds, and a seek read
// 180,000 of them at 1,000 events/s. Each read here returns one row per second, per payment or
// per score, not per event.
import { LATE_ARRIVAL_INDEX_LAG_MS } from './migrations/372_late_arrival_index';
import { AUTHORIZATION_ATTEMPTS_SQL, EVENT_CATEGORY_SQL } from './eventTypeSql';
import { floorDivSql } from './stepStart';
import type { StatementCache } from './statementCache';

/** Stored events of one arrival second and lag bin (null: of unknown types), counted (LiveMetrics.addStoredArrivals). */
export interface ArrivalCounts {
  sec: number;
  lagBin: number | null;
  count: number;
  late: number;
  lateLagMs: number;
}

/** How the arrival counts are binned: the lag histogram's bins as SQL of a lag, and the least lag counted late. */
export interface ArrivalBinning {
  lagBinSql: (lagMs: string) => string;
  lateAfterMs: number;
}

const LAG = 'max(0, arrival_ms - time_ms)';
const TIME_INDEX = 'event_log INDEXED BY event_log_time';
const LATE_INDEX = `event_log INDEXED BY event_log_late_arrival WHERE arrival_ms - time_ms > ${LATE_ARRIVAL_INDEX_LAG_MS}`;

export class StoredLiveWindows {
  constructor(private readonly sql: StatementCache) {}

  /** [second, newest arrival] of each second of event time in (after, before) that holds events. */
  newestArrivalsBySecond(after: number, before: number): [number, number][] {
    return this.sql
      .raw(`SELECT ${floorDivSql('time_ms', 1000)} AS sec, MAX(arrival_ms) FROM ${TIME_INDEX} WHERE time_ms > ? AND time_ms < ? GROUP BY sec`)
      .all(after, before) as [number, number][];
  }

  /** [event time, score] of the risk.scored events of [from, before) that carry a score. */
  scores(from: number, before: number): [number, number][] {
    return this.sql
      .raw(`SELECT time_ms, score FROM ${TIME_INDEX} WHERE time_ms >= ? AND time_ms < ? AND type = 'risk.scored' AND score IS NOT NULL`)
      .all(from, before) as [number, number][];
  }

  /**
   * The payments of the authorization attempts of (after, through]: [paymentId, earliest attempt's
   * time, whether any was authorized], earliest first (an attempt without a paymentId is a payment
   * of its own), as PaymentOutcomes would come to know them from the attempts one by one.
   */
  payments(after: number, through: number): [string | null, number, 0 | 1][] {
    return this.sql
      .raw(
        `SELECT payment_id, MIN(time_ms) AS t, MAX(type = 'payment.authorized') FROM ${TIME_INDEX}
          WHERE time_ms > ? AND time_ms <= ? AND type IN ${AUTHORIZATION_ATTEMPTS_SQL}
          GROUP BY COALESCE(payment_id, seq) ORDER BY t, MIN(seq)`,
      )
      .all(after, through) as [string | null, number, 0 | 1][];
  }

  /**
   * The events with event time <= `through` that arrived in [arrivalFrom, arrivalThrough], counted
   * per arrival second and lag bin: those of event time from arrivalFrom - LATE_ARRIVAL_INDEX_LAG_MS
   * through the time index, the older ones (a backlog arriving late) through the late-arrival index.
   */
  arrivals(through: number, arrivalFrom: number, arrivalThrough: number, binning: ArrivalBinning): ArrivalCounts[] {
    const timeFrom = arrivalFrom - LATE_ARRIVAL_INDEX_LAG_MS;
    const select = `SELECT ${floorDivSql('arrival_ms', 1000)} AS sec, CASE WHEN ${EVENT_CATEGORY_SQL} <> 'unknown' THEN ${binning.lagBinSql(LAG)} END AS lagBin,
      COUNT(*) AS count, SUM(arrival_ms - time_ms > ${binning.lateAfterMs}) AS late,
      TOTAL(CASE WHEN arrival_ms - time_ms > ${binning.lateAfterMs} THEN arrival_ms - time_ms ELSE 0 END) AS lateLagMs`;
    const recent = this.sql
      .prepare(`${select} FROM ${TIME_INDEX} WHERE time_ms >= ? AND time_ms <= ? AND arrival_ms >= ? AND arrival_ms <= ? GROUP BY sec, lagBin`)
      .all(timeFrom, through, arrivalFrom, arrivalThrough) as ArrivalCounts[];
    const older = this.sql
      .prepare(`${select} FROM ${LATE_INDEX} AND arrival_ms >= ? AND arrival_ms <= ? AND time_ms < ? AND time_ms <= ? GROUP BY sec, lagBin`)
      .all(arrivalFrom, arrivalThrough, timeFrom, through) as ArrivalCounts[];
    return recent.concat(older);
  }

  /** The newest arrival of the events with event time <= `through` that arrived over a minute after it, or null. */
  newestLateArrival(through: number): number | null {
    return (this.sql.pluck(`SELECT arrival_ms FROM ${LATE_INDEX} AND time_ms <= ? ORDER BY arrival_ms DESC LIMIT 1`).get(through) as number | undefined) ?? null;
  }
}
