// The writer's filter of the payment ids stored: never "not stored" for an id added (a wrong
// "no" would count a retry as a payment of its own), rarely "may be" for one never added (each
// costs a lookup), and bounded in memory however many ids it is given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BITS_PER_ID, FIRST_LAYER_IDS, PaymentIdFilter } from './paymentIdFilter';

describe('PaymentIdFilter', () => {
  it('holds every id added, whatever the ids and however many layers they take', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 400 }), (ids) => {
        // Layers of 64 ids at first: 400 ids take several.
        const filter = new PaymentIdFilter(64);
        for (const id of ids) filter.add(id);
        for (const id of ids) expect(filter.mayHold(id)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('answers "may be" for fewer than 1 in 100,000 ids never added, at at most 7 bytes an id', () => {
    const filter = new PaymentIdFilter();
    const n = 300_000;
    for (let i = 0; i < n; i++) filter.add(`pay_ps${String(i % 10_000).padStart(5, '0')}.r${Math.floor(i / 10_000)}`);
    let falsePositives = 0;
    const asked = 1_000_000;
    for (let i = 0; i < asked; i++) if (filter.mayHold(`pay_other_${i}`)) falsePositives += 1;
    // Each full layer 1.4e-6 at 28 bits an id, three layers (4 of these million; 4.4e-6 over ten million).
    expect(falsePositives / asked).toBeLessThan(1e-5);
    // Layers of 2^21, 2^22, 2^23 bits: 1.75 MiB, about 6 bytes an id while the newest fills (3.5 when full).
    expect(filter.bytes).toBe((2 ** 21 + 2 ** 22 + 2 ** 23) / 8);
    expect(filter.bytes / n).toBeLessThan((2 * BITS_PER_ID) / 8);
  });

  it('stays within its memory bound: past it the newest layer takes every further id, still held', () => {
    const maxBytes = 3 * (2 ** 21 / 8); // the first layer (256 KiB) and the next (512 KiB) fit; a third does not
    const filter = new PaymentIdFilter(FIRST_LAYER_IDS, maxBytes);
    const n = 400_000;
    for (let i = 0; i < n; i++) filter.add(`p-${i}`);
    expect(filter.bytes).toBe(maxBytes);
    for (let i = 0; i < n; i += 997) expect(filter.mayHold(`p-${i}`)).toBe(true);
  });
});
