import { describe, expect, it } from 'vitest';
import { validateRouting, type MuteTiming } from '../../../shared/notificationConfig';
import { muteTimingActive } from './muteTimings';

function timing(timeIntervals: unknown[]): MuteTiming {
  const v = validateRouting({ muteTimings: [{ name: 't', timeIntervals }] });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config.muteTimings[0];
}

// 2026-11-27 is a Friday, 2026-11-28 a Saturday, 2026-11-26 a Thursday.
const utc = (day: number, hh: number, mm = 0) => Date.UTC(2026, 10, day, hh, mm);

describe('mute timings', () => {
  it('a time range wrapping past midnight belongs to the day it starts: friday 22:00-02:00 is Friday night into Saturday', () => {
    const fridayNight = timing([{ times: [{ start: '22:00', end: '02:00' }], weekdays: ['friday'] }]);
    expect(muteTimingActive(fridayNight, utc(27, 21, 59))).toBe(false);
    expect(muteTimingActive(fridayNight, utc(27, 22, 0))).toBe(true);
    expect(muteTimingActive(fridayNight, utc(28, 1, 59))).toBe(true); // Saturday 01:59, still Friday's night
    expect(muteTimingActive(fridayNight, utc(28, 2, 0))).toBe(false); // [start, end)
    // Friday 00:00-02:00 is the end of Thursday's night, which is not muted
    expect(muteTimingActive(fridayNight, utc(27, 1, 0))).toBe(false);
    expect(muteTimingActive(fridayNight, utc(28, 22, 30))).toBe(false);
  });

  it('without weekdays a wrapping range mutes every night; a plain range stays within its day', () => {
    const nightly = timing([{ times: [{ start: '23:30', end: '00:30' }] }]);
    expect([utc(26, 23, 45), utc(27, 0, 15), utc(27, 0, 30), utc(27, 12, 0)].map((t) => muteTimingActive(nightly, t))).toEqual([true, true, false, false]);
    const settlement = timing([{ times: [{ start: '01:30', end: '02:30' }], weekdays: ['monday:friday'] }]);
    expect([utc(27, 1, 30), utc(27, 2, 29), utc(27, 2, 30), utc(28, 1, 45)].map((t) => muteTimingActive(settlement, t))).toEqual([true, true, false, false]);
  });

  it('reads times and weekdays in the interval location (an IANA time zone), across daylight saving', () => {
    // The settlement batch runs 01:30-02:30 Berlin time: 00:30 UTC in summer (CEST), 01:30 UTC in winter (CET).
    const berlin = timing([{ times: [{ start: '01:30', end: '02:30' }], weekdays: ['monday:friday'], location: 'Europe/Berlin' }]);
    const summer = Date.UTC(2026, 6, 15, 0, 45); // Wednesday 15 July, 02:45 CEST
    const winter = Date.UTC(2026, 11, 16, 1, 45); // Wednesday 16 December, 02:45 CET
    expect(muteTimingActive(berlin, summer - 30 * 60_000)).toBe(true); // 00:15 UTC = 02:15 CEST
    expect(muteTimingActive(berlin, summer)).toBe(false);
    expect(muteTimingActive(berlin, winter - 30 * 60_000)).toBe(true); // 01:15 UTC = 02:15 CET
    expect(muteTimingActive(berlin, Date.UTC(2026, 11, 16, 0, 15))).toBe(false); // 01:15 CET is before
    // weekdays are Berlin's: Friday 23:30 UTC in winter is Saturday 00:30 in Berlin
    const fridays = timing([{ weekdays: ['friday'], location: 'Europe/Berlin' }]);
    expect(muteTimingActive(fridays, Date.UTC(2026, 10, 27, 23, 30))).toBe(false);
    expect(muteTimingActive(fridays, Date.UTC(2026, 10, 26, 23, 30))).toBe(true);
  });

  it('refuses a location that is not a time zone, naming the field', () => {
    const v = validateRouting({ muteTimings: [{ name: 't', timeIntervals: [{ weekdays: ['friday'], location: 'Europe/Berlinn' }] }] });
    expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual(['muteTimings[0].timeIntervals[0].location: must be an IANA time zone such as Europe/Berlin (or UTC)']);
  });
});
