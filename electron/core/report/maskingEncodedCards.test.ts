// A card number encoded in a URL or in hex went out as it came. URL-encoded: its digits escaped
// ("%34%31%31%31...", as an encoder that escapes every character writes them), or after an escape
// whose hex letter glued the number to a word ("...%3Fcard%3D4111111111111111": a return URL
// inside another URL's query), or its groups apart by an escaped separator ("%2D", "%0A"): only
// "%20" and "+" were read. Hex-encoded: the ASCII digits of a card ("34313131...", bytes a
// producer or a log line quotes as hex) were never decoded. Now a URL's escape is read as the
// character it encodes, and a hex token holding four encoded digits in a row is decoded, masked and
// encoded again, as a base64 one already was. Hashes, UUIDs, ids and encoded text without a card
// stay.
import fc from 'fast-check';
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sixteenDigitPan } from '../../../test/support/cardNumbers';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { exportReasons } from '../../../test/support/reasonExports';
import { tempDir } from '../../../test/support/tempDir';
import { isIban } from './ibanText';
import { Masker } from './masking';

const m = new Masker({ enabled: true });
const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;
const PAN = '4111111111111111';
/** Every character of `text` escaped as a URL encoder that escapes all does. */
const percentAll = (text: string, hexCase: 'upper' | 'lower' = 'upper') =>
  [...Buffer.from(text)].map((b) => `%${hexCase === 'upper' ? b.toString(16).toUpperCase() : b.toString(16)}`.replace(/^%(.)$/, '%0$1')).join('');
const hex = (text: string) => Buffer.from(text).toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex').toString('utf8');

describe('masking, card numbers encoded in a URL', () => {
  it('masks a card whose digits, or whose separators, are escaped', () => {
    for (const written of [
      percentAll(PAN), percentAll(PAN, 'lower'), percentAll('4111 1111 1111 1111'), percentAll('4111-1111-1111-1111'),
      '4111%201111%201111%201111', '4111+1111+1111+1111', '4111%2D1111%2d1111%2D1111', '4111%2E1111%2E1111%2E1111', '%34%31%31%31%201111%201111+1111',
    ]) {
      expect(note(`https://shop.example/cb?card=${written}&x=1`), written).toBe('https://shop.example/cb?card=41**********1111&x=1');
    }
    // Groups apart by an escaped list separator: the whole list, as a raw one.
    expect(note('p=4111%2F1111%2F1111%2F1111')).toBe('p=41**********1111');
    expect(note('p=4111%0D%0A1111%0D%0A1111%0D%0A1111')).toBe('p=41**********1111');
  });

  it('masks a card after an escape whose hex letter would glue it to a word (a URL inside a query)', () => {
    expect(note('https://psp.example/r?return=https%3A%2F%2Fshop.example%2Fcb%3Fcard%3D4111111111111111%26x%3D1'))
      .toBe('https://psp.example/r?return=https%3A%2F%2Fshop.example%2Fcb%3Fcard%3D41**********1111%26x%3D1');
    expect(note('a%2C5555555555554444%2Cb')).toBe('a%2C55**********4444%2Cb');
  });

  it('leaves encoded text that holds no card', () => {
    for (const text of [
      'https://shop.example/cb?q=100%25%20off&t=2026-12-07T12%3A30%3A45Z', percentAll('4111111111111112'), percentAll('2026-12-07 12:30:45'),
      '4111%2F1111%2F1111%2F1111%2F2222', '%E4%BD%A0%E5%A5%BD 41%2011', 'id%3Dabc4111111111111111', '4111%%201111%201111%201111', '50% 4111',
    ]) {
      expect(note(text), text).toBe(text);
    }
  });
});

describe('masking, card numbers hex-encoded', () => {
  it('decodes, masks and encodes again a hex token holding a card, in either case, after a 0x too', () => {
    const masked = note(`bytes ${hex(PAN)} end`);
    expect(masked).toBe(`bytes ${hex('41**********1111')} end`);
    // Upper case kept (a token of digits alone has no case: lower).
    expect(note(hex('4111-1111-1111-1111').toUpperCase())).toBe(hex('41**********1111').toUpperCase());
    expect(note(`0x${hex(PAN)}`)).toBe(`0x${hex('41**********1111')}`);
    for (const text of ['4111 1111 1111 1111', '4111-1111-1111-1111', '{"pan":"5555555555554444","amount":100}', 'card 3782 822463 10005 ok']) {
      const out = note(hex(text));
      expect(unhex(out), text).not.toMatch(/\d{5}|\d{4}[ -]\d{4}/);
      expect(unhex(out), text).toMatch(/\*{4}/);
    }
  });

  it('leaves hashes, UUIDs, ids and hex text holding no card (property)', () => {
    for (const text of [
      hex('4111111111111112'), hex('2026-12-07 12:30:45'), hex('amount 1250.00 EUR'), '3333333333333333', '0x1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
      createHash('sha256').update('x').digest('hex'), randomUUID(), `${hex(PAN)}g`, `${hex(PAN)}3`,
    ]) {
      expect(note(text), text).toBe(text);
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 13, maxLength: 64 }), fc.boolean(), (bytes, upper) => {
        const token = Buffer.from(bytes).toString('hex');
        const text = `sha ${upper ? token.toUpperCase() : token} ok`;
        const digits = Buffer.from(bytes).toString('latin1').replace(/\D/g, '');
        // Bytes that do not hold 13 ASCII digits can hold no card, and stay as they are; unless
        // the token in upper case is itself an IBAN (two letters, two digits, mod 97: about one
        // upper-case token in 3,500), which exports mask as one, whatever country code it names.
        if (digits.length < 13 && !(upper && isIban(token.toUpperCase()))) expect(note(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves none of a card\'s digits but the first two and last four, hex- or URL-encoded with any separator (property)', () => {
    fc.assert(
      fc.property(sixteenDigitPan, fc.constantFrom('', ' ', '-', '.', ':', '\n'), fc.constantFrom('hex', 'HEX', 'url'), fc.constantFrom('', 'card ', 'ref='), (p, sep, form, before) => {
        const plain = p.match(/\d{4}/g)!.join(sep);
        const encoded = form === 'url' ? percentAll(plain) : form === 'hex' ? hex(plain) : hex(plain).toUpperCase();
        const out = note(`${before}${encoded} ok`);
        const shown = form === 'url' ? out : unhex(out.slice(before.length, -3));
        expect(shown.replace(/\D/g, ''), `${before}${encoded}`).not.toContain(p.slice(2, 12));
      }),
      { numRuns: 600 },
    );
  });

  it('costs a long text of hex or escapes its length', () => {
    for (const run of [hex(PAN).repeat(30_000), `${'3'.repeat(500_000)}`, '%34%31'.repeat(100_000), '34313131 '.repeat(60_000), '%3'.repeat(200_000)]) {
      expect(cpuMsOf(() => m.scrub(run)), run.slice(0, 12)).toBeLessThan(3_000);
    }
  });
});

describe('masking, encoded card numbers through the real exporter', () => {
  it('no such card number reaches a CSV, JSON or HTML export', async () => {
    const written = [percentAll(PAN), 'cb%3Fcard%3D4111111111111111', hex(PAN), hex('4111 1111 1111 1111').toUpperCase()];
    const texts = await exportReasons(tempDir('payops-mask-encoded-'), 'encoded', written.map((value) => `returned ${value}`));
    for (const [format, text] of Object.entries(texts)) {
      for (const value of written) expect(text, `${format} ${value}`).not.toContain(value);
      expect(text, format).not.toContain(hex('11111111').slice(0, 12));
    }
  });
});
