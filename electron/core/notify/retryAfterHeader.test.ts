// Retry-After as RFC 9110 (10.2.3, 5.6.7) has it: delta-seconds or an HTTP-date, which a
// recipient must read in all three forms (IMF-fixdate, the obsolete RFC 850 and asctime forms),
// every one of them in GMT. Run in a zone far from UTC, where a date without a zone read as
// local time is hours off.
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { retryAfter } from './delivery';

inTimeZone('America/Los_Angeles');
const NOW = Date.parse('1994-11-06T08:49:07Z');

describe('Retry-After', () => {
  it('reads delta-seconds and the three HTTP-date forms, each as GMT', () => {
    expect(retryAfter('30', NOW)).toBe(30_000);
    expect(retryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(30_000);
    expect(retryAfter('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(30_000);
    expect(retryAfter('Sun Nov  6 08:49:37 1994', NOW)).toBe(30_000);
  });

  it('a date in the past is no wait; anything else is no Retry-After', () => {
    expect(retryAfter('Sun, 06 Nov 1994 08:00:00 GMT', NOW)).toBe(0);
    for (const bad of ['soon', '-5', '1.5', '', 'Sunday', '06 Nov 1994']) expect(retryAfter(bad, NOW)).toBeNull();
  });
});
