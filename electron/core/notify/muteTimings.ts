// Mute timings: recurring windows (a nightly settlement batch, weekends) during which a
// policy's notifications are held back. Judged on the router's clock (event time, UTC).
import type { MuteTiming } from '../../../shared/notificationConfig';

const DAY_MIN = 24 * 60;

/** Whether `timing` mutes at `atMs`: any of its intervals holds (weekday and time of day, UTC). */
export function muteTimingActive(timing: MuteTiming, atMs: number): boolean {
  const d = new Date(atMs);
  const weekday = d.getUTCDay();
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  return timing.intervals.some(
    (i) =>
      (i.weekdays.length === 0 || i.weekdays.includes(weekday)) &&
      (i.times.length === 0 || i.times.some((t) => inRange(minute, t.startMin, t.endMin))),
  );
}

/** [start, end) in minutes of the day; an end before the start wraps past midnight. */
function inRange(minute: number, start: number, end: number): boolean {
  if (start === end) return false;
  if (start < end) return minute >= start && minute < Math.min(end, DAY_MIN);
  return minute >= start || minute < end;
}
