// Thread: the read worker (and the CLI's own process). The triage requests of the contract
// (shared/triage.ts) over a read-only store's segment rollups.
import type { z } from 'zod';
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { healthRequestSchema } from '../../../shared/triage';
import type { ReadStore } from '../store/store';
import { explainFromStore, type ExplainRequest } from './explainService';
import { MINUTE_MS } from './explain';
import { computeHealthBoard } from './health';
import { baselineSegmentSlices } from './baselineSlices';
import { foldRenamedSegments, keepMovedNames } from './namedSegments';

export type HealthRequest = z.output<typeof healthRequestSchema>;

export class NoSegmentRollupsError extends Error {
  constructor() {
    super('this database has no segment rollups (it was written before payops kept them): replay its capture into a new database to explain it');
  }
}

/** How far ahead of this machine's clock a producer's clock may run and its minutes still end the board. */
const CLOCK_AHEAD_MINUTES = 5;

/**
 * The board over the `windowMinutes` before `at`; without `at`, up to the newest stored minute
 * not after `nowMs` (give or take CLOCK_AHEAD_MINUTES): one event stamped with a wrong clock
 * (a year ahead) would otherwise move the board to its minute, empty, while the present is
 * judged by nobody. A database whose every minute is after that (test traffic of tomorrow) is
 * judged at its newest minute; one that holds none, at the minute of `nowMs`.
 */
export function healthFromStore(store: Pick<ReadStore, 'segments'>, request: HealthRequest, nowMs = Date.now()): ApiResults['triage.health'] {
  const latest = Math.floor(nowMs / MINUTE_MS) + CLOCK_AHEAD_MINUTES;
  const newest = request.at !== undefined ? null : (store.segments.newestMinuteAtOrBefore(latest) ?? store.segments.minuteRange()?.last ?? null);
  // Nothing stored yet: the minutes up to now (a board of 1970 would be dated as no clock is).
  const toMinute = request.at !== undefined ? Math.floor(request.at / MINUTE_MS) : (newest ?? Math.floor(nowMs / MINUTE_MS)) + 1;
  const fromMinute = toMinute - request.windowMinutes;
  const baseFromMinute = fromMinute - request.baselineMinutes;
  // A value that lost its name to (other) in these minutes would read as down (its traffic
  // vanished), one that earned it as new: each is judged within (other), on both sides.
  // Unless the value's traffic moved the group it forms with (other) (keepMovedNames).
  const windowRows = store.segments.segmentsBetween(fromMinute, toMinute);
  const baselineRows = store.segments.segmentsBetween(baseFromMinute, fromMinute);
  const named = keepMovedNames(windowRows, baselineRows, store.segments.namedThroughout(baseFromMinute, toMinute));
  return computeHealthBoard({
    fromMs: fromMinute * MINUTE_MS,
    toMs: toMinute * MINUTE_MS,
    window: foldRenamedSegments(windowRows, named),
    baseline: foldRenamedSegments(baselineRows, named),
    // How much each segment's rates wander between slices of the baseline as long as the window.
    baselineSlices: baselineSegmentSlices(store.segments, baseFromMinute, fromMinute, request.windowMinutes, named),
  });
}

export class TriageService {
  constructor(private readonly store: ReadStore) {}

  private check(): void {
    if (!this.store.hasTables('segment_minute', 'segment_decline_minute')) throw new NoSegmentRollupsError();
  }

  explain(args: ApiParsedArgs<'triage.explain'>): ApiResults['triage.explain'] {
    this.check();
    return explainFromStore(this.store, args as ExplainRequest);
  }

  health(args: ApiParsedArgs<'triage.health'>): ApiResults['triage.health'] {
    this.check();
    return healthFromStore(this.store, args);
  }
}
