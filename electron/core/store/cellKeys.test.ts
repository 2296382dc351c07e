import { describe, expect, it } from 'vitest';
import { PairIds, cellKey } from './cellKeys';

describe('cell keys of an ingest batch', () => {
  it('gives a pair the same id every time and distinct pairs distinct ids, whatever a separator would join', () => {
    const ids = new PairIds();
    const a = ids.id('type', 'payment.authorized');
    expect(ids.id('decline', '05')).not.toBe(a);
    expect(ids.id('type', 'payment.authorized')).toBe(a);
    // ("ab", "c") and ("a", "bc") would join into the same string; they are different cells.
    expect(ids.id('ab', 'c')).not.toBe(ids.id('a', 'bc'));
  });

  it('keys every (unit, id) apart, numbers where they fit and strings beyond', () => {
    const units = [0, 1, -1, 1_764_900_000, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 40, NaN];
    const idsOf = [0, 1, 2 ** 21 - 1, 2 ** 21, 2 ** 30];
    const seen = new Map<number | string, string>();
    for (const u of units) {
      for (const id of idsOf) {
        const k = cellKey(u, id);
        const fits = id < 2 ** 21 && u < 2 ** 31 && u >= -(2 ** 31);
        expect(typeof k).toBe(fits ? 'number' : 'string');
        const was = seen.get(k);
        expect(was, `${u}/${id} and ${was} share a key`).toBeUndefined();
        seen.set(k, `${u}/${id}`);
        expect(cellKey(u, id)).toBe(k);
      }
    }
  });

  it('keys the seconds of a day of sparse traffic apart in a Map, as the batch sums them', () => {
    const ids = new PairIds();
    const sums = new Map<number | string, number>();
    const start = 1_764_900_000;
    for (let s = 0; s < 86_400; s += 7) {
      for (const dim of ['type', 'authorized', 'decline']) {
        const k = cellKey(start + s, ids.id(dim, dim === 'type' ? 'payment.authorized' : 'EUR'));
        sums.set(k, (sums.get(k) ?? 0) + 1);
      }
    }
    expect(sums.size).toBe(Math.ceil(86_400 / 7) * 3);
    expect([...sums.values()].every((n) => n === 1)).toBe(true);
  });
});
