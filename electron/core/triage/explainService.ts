// Explain over a store's segment rollups: picks the minutes, reads them, computes.
import type { z } from 'zod';
import type { explainRequestSchema, Explanation } from '../../../shared/triage';
import type { ReadStore } from '../store/store';
import { baselineSegmentSlices } from './baselineSlices';
import { computeExplanation, MINUTE_MS } from './explain';
import { foldRenamedCodes, foldRenamedSegments, keepMovedNames } from './namedSegments';

export type ExplainRequest = z.output<typeof explainRequestSchema>;

/** Default baseline: the four windows of the same length just before the window. */
export const BASELINE_WINDOWS = 4;
/** Minutes from the epoch to the last time a Date holds (8.64e15 ms either way). */
const FIRST_MINUTE = 8.64e15 / MINUTE_MS;

export function explainFromStore(store: Pick<ReadStore, 'segments'>, request: ExplainRequest): Explanation {
  // Rollups are per minute: the window is widened to whole minutes.
  const fromMinute = Math.floor(request.from / MINUTE_MS);
  const toMinute = Math.ceil(request.to / MINUTE_MS);
  const length = toMinute - fromMinute;
  // Not before the first representable time: a window from the epoch has its default baseline
  // before it, and the answer gives the baseline as an ISO time.
  let baseFromMinute =
    request.baselineFrom !== undefined ? Math.floor(request.baselineFrom / MINUTE_MS) : Math.max(fromMinute - BASELINE_WINDOWS * length, -FIRST_MINUTE);
  let baseToMinute = request.baselineTo !== undefined ? Math.ceil(request.baselineTo / MINUTE_MS) : fromMinute;
  // The baseline does not overlap the window (explainRequestSchema), but widened to whole minutes
  // the two may share the minute where one ends and the other starts: the window keeps it.
  if (baseFromMinute < fromMinute) baseToMinute = Math.min(baseToMinute, fromMinute);
  else baseFromMinute = Math.max(baseFromMinute, toMinute);
  baseToMinute = Math.max(baseToMinute, baseFromMinute);
  const s = store.segments;
  // A value promoted out of (other), or put back in it, anywhere in the minutes compared is
  // compared folded into (other) on both sides: its change of name is no change of traffic.
  // Unless that traffic moved the share of (other) and such values together (keepMovedNames):
  // a merchant from the tail flooded with card tests is promoted by the flood and is named.
  const windowRows = s.segmentsBetween(fromMinute, toMinute);
  const baselineRows = s.segmentsBetween(baseFromMinute, baseToMinute);
  const named = keepMovedNames(windowRows, baselineRows, s.namedThroughout(Math.min(fromMinute, baseFromMinute), Math.max(toMinute, baseToMinute)));
  return computeExplanation({
    metric: request.metric,
    fromMs: fromMinute * MINUTE_MS,
    toMs: toMinute * MINUTE_MS,
    baselineFromMs: baseFromMinute * MINUTE_MS,
    baselineToMs: baseToMinute * MINUTE_MS,
    window: foldRenamedSegments(windowRows, named),
    baseline: foldRenamedSegments(baselineRows, named),
    baselineSlices: s.totalsBySlice(baseFromMinute, baseToMinute, length),
    segmentSlices: baselineSegmentSlices(s, baseFromMinute, baseToMinute, length, named),
    windowCodes: foldRenamedCodes(s.declineCodesBetween(fromMinute, toMinute), named),
    baselineCodes: foldRenamedCodes(s.declineCodesBetween(baseFromMinute, baseToMinute), named),
  });
}
