import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/support/waitFor';
import { ThrottledLine } from './throttledLine';

describe('ThrottledLine', () => {
  it('logs at most one line every 10 s, the next saying how many were left out', () => {
    const clock = manualClock();
    const lines: string[] = [];
    const t = new ThrottledLine((l) => void lines.push(l), 10_000, clock.now);
    t.say('a 1');
    for (let i = 2; i <= 4; i++) {
      clock.advance(3000);
      t.say(`a ${i}`);
    }
    expect(lines).toEqual(['a 1']);
    clock.advance(1000);
    t.say('a 5');
    expect(lines).toEqual(['a 1', 'a 5 (and 3 more like it not logged since the last such line)']);
    clock.advance(10_000);
    t.say('a 6');
    expect(lines[2]).toBe('a 6');
  });
});
