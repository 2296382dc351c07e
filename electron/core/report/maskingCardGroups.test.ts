// Card numbers in free text are digits grouped as cards print them, and only those: a run of
// numbers joined by single spaces (amounts, ids, a list) read as one card number when its digits
// passed Luhn, whatever its grouping ("41 1111 1111 1111 11" was masked), while a card number
// next to another number ("paid 100 4111 1111 1111 1111", "ids 1234 4111 ... 5678") was not
// masked at all: the run as a whole was too long or started with the wrong digit. Now a card
// number is 13-19 digits that pass Luhn, written in one run, in groups of four (the last 1-4
// long) or 4-6-4/4-6-5 (Diners, Amex), with one kind of separator; it is looked for at every
// group of a longer run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnDigit } from '../../../test/support/cardNumbers';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { Masker } from './masking';

const m = new Masker({ enabled: true });
const scrub = (text: string) => m.text(text, new Map());

const digitString = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((c) => c.join(''));
/** A number of `lengths` digits without a leading zero (an amount, an id). */
const numberOf = (lengths: number[]) => fc.constantFrom(...lengths).chain((n) => fc.tuple(fc.constantFrom(...'123456789'), digitString(n - 1, n - 1)).map(([a, b]) => a + b));

describe('masking, card numbers among other numbers', () => {
  it('masks a card number written next to other numbers', () => {
    for (const [text, card] of [
      ['paid 100 4111 1111 1111 1111', '4111 1111 1111 1111'],
      ['ids 1234 4111 1111 1111 1111 5678', '4111 1111 1111 1111'],
      ['card 4111-1111-1111-1111-1225 on file', '4111-1111-1111-1111'],
      ['refs 7 378282246310005 9', '378282246310005'],
      ['amex 3782 822463 10005 ok', '3782 822463 10005'],
      ['order 12.5555.5555.5555.4444', '5555.5555.5555.4444'],
    ]) {
      const out = scrub(text);
      expect(out, text).not.toContain(card);
      expect(out.replace(/\D/g, ''), text).not.toContain(card.replace(/\D/g, ''));
    }
  });

  it('keeps numbers that only pass Luhn together, in no grouping a card is printed in', () => {
    for (const text of ['amounts 41 1111 1111 1111 11', '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1', 'ids 41111 11111 111111', 'v 411.11111.111.11111']) {
      expect(scrub(text), text).toBe(text);
    }
  });

  it('lists of numbers in no card grouping pass unchanged (property)', () => {
    fc.assert(
      fc.property(fc.array(numberOf([1, 2, 3, 5, 7, 8, 9, 10, 11, 12]), { minLength: 2, maxLength: 12 }), fc.constantFrom(' ', '-', '.', '\u00a0'), (numbers, sep) => {
        const text = `values ${numbers.join(sep)} end`;
        expect(scrub(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('a card number in card groups among other numbers is masked, and they stay (property)', () => {
    const card = fc.tuple(fc.constantFrom('4', '5', '6'), digitString(14, 14)).map(([a, b]) => a + b + luhnDigit(a + b));
    fc.assert(
      fc.property(fc.array(numberOf([5, 7, 8, 9, 10, 11, 12]), { maxLength: 4 }), card, fc.array(numberOf([5, 7, 8, 9, 10, 11, 12]), { maxLength: 4 }), fc.constantFrom(' ', '-', '.', '\u00a0'), (before, pan, after, sep) => {
        const grouped = pan.match(/\d{4}/g)!.join(sep);
        const text = `values ${[...before, grouped, ...after].join(sep)} end`;
        expect(scrub(text)).toBe(`values ${[...before, `${pan.slice(0, 2)}${'*'.repeat(10)}${pan.slice(-4)}`, ...after].join(sep)} end`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('masking, card numbers in a long run of digit groups', () => {
  it('costs the run its length (a card looked for at each group is a few groups long)', () => {
    // Quadratic work here (each candidate reading the whole text) takes minutes, not seconds.
    for (const run of ['4111 '.repeat(200_000), '4111\u00a01111\u00a0'.repeat(50_000), '\u0661\u0661\u0661\u0661 '.repeat(100_000), '1 '.repeat(500_000)]) {
      let out!: ReturnType<typeof scrub>;
      const cpuMs = cpuMsOf(() => {
        out = scrub(run);
      });
      expect(cpuMs, run.slice(0, 12)).toBeLessThan(3_000);
      expect(out.length).toBeLessThanOrEqual(run.length);
    }
  });
});

// A card number of 17-19 digits sent as a JSON number is past 2^53: JSON.parse rounds it
// (6212345678901234569 reads 6212345678901235000), so its Luhn check no longer holds and it was
// exported with its first fifteen digits. Such a number, 17-19 digits from a card network's first
// digit, is masked as a card number whether it passes or not: its digits cannot be checked.
describe('masking, card numbers written as JSON numbers past 2^53', () => {
  it('masks them, and leaves the numbers below 2^53 that fail Luhn and ids that start as no card does', () => {
    const masked = m.cloudEvent('{"specversion":"1.0","id":"e1","source":"psp","type":"payment.declined","data":{"ref":6212345678901234569,"card":{"pan_like":411111111111111118},"n":4242424242424243,"snowflake":1790000000000000001}}');
    const text = JSON.stringify(masked);
    expect(text).not.toContain('621234567890123');
    expect(text).not.toContain('411111111111111');
    expect((masked.data as { n: number }).n).toBe(4242424242424243);
    expect((masked.data as { snowflake: number }).snowflake).toBe(1790000000000000001);
  });
});
