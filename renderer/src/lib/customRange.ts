// The dashboard's custom range form: the window shown in two datetime-local inputs (local
// time, seconds) and read back into a fixed range. Pure, so it is unit-tested in a fixed zone.
// The local-time text is the explorer's (one helper for both, lib/localTime): it keeps the instants the
// inputs were filled from, since local seconds drop milliseconds and cannot tell the two
// 02:30s of a DST fall-back apart.
import { DASHBOARD_MAX_RANGE_MS, DASHBOARD_MAX_RANGE_TEXT } from '../../../shared/dashboardApi';
import { normaliseRange } from '../store/dashboardRange';
import { readLocalTime, toLocalInput } from './localTime';

export interface CustomRangeForm {
  from: string;
  to: string;
  /** The instants the inputs were filled from: read back exactly while their text is unchanged. */
  exact?: { from?: number; to?: number };
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The inputs' text for window `w`. */
export function customRangeForm(w: { fromMs: number; toMs: number }): CustomRangeForm {
  return { from: toLocalInput(w.fromMs), to: toLocalInput(w.toMs), exact: { from: w.fromMs, to: w.toMs } };
}

/** The range the form holds, or the message that says why it is not one. */
export function readCustomRange(form: CustomRangeForm): { fromMs: number; toMs: number } | { error: string } {
  const readFrom = readLocalTime(form.from, form.exact?.from);
  const readTo = readLocalTime(form.to, form.exact?.to);
  if (readFrom === null || readTo === null) return { error: 'Both times are needed' };
  if ('error' in readFrom) return { error: capitalised(readFrom.error) };
  if ('error' in readTo) return { error: capitalised(readTo.error) };
  const from = readFrom.ms;
  const to = readTo.ms;
  // Times before 1970 are times like any other: dashboard.series takes any time a Date holds
  // (a replay of a capture stamped 1969-12-31 is drawn), and readLocalTime refuses what a Date cannot hold.
  if (to <= from) return { error: 'The end must be after the start' };
  // The charts read the whole minutes around the range (fixRange): those must fit one request.
  const read = normaliseRange(from, to);
  if (read.toMs - read.fromMs > DASHBOARD_MAX_RANGE_MS) return { error: `A${DASHBOARD_MAX_RANGE_TEXT.slice(1)}` };
  return { fromMs: from, toMs: to };
}
