import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUtcMs, isIsoStringOf } from './canonicalTime';

// The stored text leaves `time` out when it is the time column's ISO string (storedEnvelope.ts):
// isIsoStringOf must say exactly what comparing with toISOString says, or a text would keep or
// lose its time where it did not before.
describe('isIsoStringOf', () => {
  const LAST_MS = 8.64e15;
  const instant = fc.oneof(
    fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }),
    fc.constantFrom(0, 1, Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2024, 1, 29), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), LAST_MS),
    fc.double({ min: 0, max: Date.UTC(2200, 0, 1), noNaN: true }),
  );
  const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
  // The instant's own text, one character changed, a neighbouring instant's, and the canonical
  // shape with fields at and past their ranges (February 29 and 30, year 0099, hour 24).
  const textFor = (ms: number) =>
    fc.oneof(
      fc.constant(new Date(ms).toISOString()),
      fc.tuple(fc.nat(26), fc.string({ minLength: 1, maxLength: 1 })).map(([at, c]) => {
        const iso = new Date(ms).toISOString();
        return iso.slice(0, at) + c + iso.slice(at + 1);
      }),
      fc.integer({ min: -86_400_000, max: 86_400_000 }).map((d) => new Date(Math.max(0, Math.min(LAST_MS, ms + d))).toISOString()),
      fc
        .tuple(fc.oneof(digits(4), fc.constantFrom('0099', '0100', '1970', '2024', '2025', '9999')), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
        .map(([y, mo, d, h, mi, s, f]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${f}Z`),
    );

  it('agrees with comparing the text with toISOString', () => {
    fc.assert(
      fc.property(instant.chain((ms) => fc.tuple(fc.constant(ms), textFor(ms))), ([ms, text]) => {
        expect(isIsoStringOf(text, ms)).toBe(text === new Date(ms).toISOString());
      }),
      { numRuns: 20000 },
    );
  });

  it('takes the instant as a Date holds it, and throws where toISOString throws', () => {
    expect(isIsoStringOf('1970-01-01T00:00:00.001Z', 1.9)).toBe(true);
    expect(isIsoStringOf('2024-02-29T00:00:00.000Z', Date.UTC(2024, 1, 29))).toBe(true);
    expect(isIsoStringOf('2025-02-29T00:00:00.000Z', Date.UTC(2025, 2, 1))).toBe(false);
    expect(isIsoStringOf('+010000-01-01T00:00:00.000Z', Date.UTC(10000, 0, 1))).toBe(true);
    expect(() => isIsoStringOf('2026-01-01T00:00:00.000Z', Infinity)).toThrow(RangeError);
  });
});

// canonicalUtcMs keeps its last answer (a replay asks it three times per event of the same text).
describe('canonicalUtcMs', () => {
  it('answers each text for itself when texts alternate', () => {
    const texts = ['2026-11-02T00:02:07.894Z', '2026-11-02T00:02:07.895Z', '2025-02-29T00:00:00.000Z', '2026-11-02T00:02:07.894Z', 'not a time', '2026-11-02T00:02:07.894Z'];
    const expected = [Date.UTC(2026, 10, 2, 0, 2, 7, 894), Date.UTC(2026, 10, 2, 0, 2, 7, 895), undefined, Date.UTC(2026, 10, 2, 0, 2, 7, 894), undefined, Date.UTC(2026, 10, 2, 0, 2, 7, 894)];
    for (let round = 0; round < 2; round++) expect(texts.map((t) => canonicalUtcMs(t))).toEqual(expected);
    expect(canonicalUtcMs(texts[0])).toBe(expected[0]);
    expect(canonicalUtcMs(texts[0])).toBe(expected[0]);
  });
});
