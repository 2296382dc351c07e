// Mute timings: recurring windows (a nightly settlement batch, weekends) during which a
// policy's notifications are held back. Judged on the router's clock (event time, UTC).
import type { MuteInterval, MuteTiming } from '../../../shared/notificationConfig';

/** Whether `timing` mutes at `atMs`: any of its intervals holds (weekday and time of day, UTC). */
export function muteTimingActive(timing: MuteTiming, atMs: number): boolean {
  const d = new Date(atMs);
  const weekday = d.getUTCDay();
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  return timing.intervals.some((i) => intervalHolds(i, weekday, minute));
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
