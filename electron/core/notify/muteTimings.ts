// Mute timings: recurring windows (a nightly settlement batch, weekends) during which a
// policy's notifications are held back. Judged on the router's clock (event time), read in
// each interval's `location` (an IANA time zone, UTC by default, as in Alertmanager), so a
// batch that runs at 01:30 Berlin time stays muted across daylight-saving changes.
import type { MuteInterval, MuteTiming } from '../../../shared/notificationConfig';

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether `timing` mutes at `atMs`: any of its intervals holds (weekday and time of day in its location). */
export function muteTimingActive(timing: MuteTiming, atMs: number): boolean {
  return timing.intervals.some((i) => {
    const { weekday, minute } = wallClock(atMs, i.location);
    return intervalHolds(i, weekday, minute);
  });
}

/** The weekday (0 = Sunday) and minute of the day at `atMs` on the clocks of `location`. */
function wallClock(atMs: number, location: string): { weekday: number; minute: number } {
  if (location === 'UTC') {
    const d = new Date(atMs);
    return { weekday: d.getUTCDay(), minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
  }
  let f = formats.get(location);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: location, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(location, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(atMs)) parts[p.type] = p.value;
  return { weekday: WEEKDAY_INDEX[parts.weekday], minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

function intervalHolds(i: MuteInterval, weekday: number, minute: number): boolean {
  const onDay = (day: number) => i.weekdays.length === 0 || i.weekdays.includes(day);
  if (i.times.length === 0) return onDay(weekday);
  return i.times.some(({ startMin, endMin }) => {
    if (startMin === endMin) return false;
    if (startMin < endMin) return onDay(weekday) && minute >= startMin && minute < endMin;
    // [start, end) wraps past midnight: the part after midnight is the night of the day
    // before, so `friday` with 22:00-02:00 mutes Friday 22:00 to Saturday 02:00.
    return (minute >= startMin && onDay(weekday)) || (minute < endMin && onDay((weekday + 6) % 7));
  });
}
