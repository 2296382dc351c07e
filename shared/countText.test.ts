import { describe, expect, it } from 'vitest';
import { countNoun, countText } from './countText';
import { formatInteger } from './format';

describe('countText', () => {
  it('one for 1, other for 0, 2, many and fractions', () => {
    expect(countText(1, 'event')).toBe('1 event');
    expect(countText(0, 'event')).toBe('0 events');
    expect(countText(2, 'technical failure')).toBe('2 technical failures');
    expect(countText(1.5, 'hour')).toBe('1.5 hours');
    expect(countText(12345, 'event', undefined, formatInteger)).toBe(`${formatInteger(12345)} events`);
    expect(countText(1, 'payment scored', 'payments scored')).toBe('1 payment scored');
    expect(countNoun(3, 'silence')).toBe('silences');
  });
});
