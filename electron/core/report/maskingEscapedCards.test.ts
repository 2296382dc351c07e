// A card number written as C-style escapes ("\x34\x31\x31\x31...", "\u0034\u0031..." in text that
// is no JSON, a log line quoting a producer's bytes) or as a hex dump ("34 31 31 31 ...",
// "34:31:31:...", a `hexdump -C` line) went out as it came: only a URL's escapes and a hex token
// written as one word were read. Now an escape is read as the character it encodes, and a dump
// holding four encoded digits in a row is decoded, masked and written again, in exports and log
// lines alike. Random bytes written so, timestamps, MAC and IPv6 addresses stay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sixteenDigitPan } from '../../../test/support/cardNumbers';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { exportReasons } from '../../../test/support/reasonExports';
import { tempDir } from '../../../test/support/tempDir';
import { redactSecrets } from '../redact';
import { isIban } from './ibanText';
import { Masker } from './masking';

const m = new Masker({ enabled: true });
const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;
const PAN = '4111111111111111';
const bytesOf = (text: string) => [...Buffer.from(text)];
/** Every byte of `text` as a C escape ("\x34"). */
const cEscaped = (text: string, upper = false) => bytesOf(text).map((b) => `\\x${upper ? b.toString(16).padStart(2, '0').toUpperCase() : b.toString(16).padStart(2, '0')}`).join('');
/** Every character as a JavaScript or JSON escape ("\u0034"). */
const uEscaped = (text: string) => bytesOf(text).map((b) => `\\u${b.toString(16).padStart(4, '0')}`).join('');
/** The bytes of `text` as a dump: two hex digits each, apart by `separator`. */
const dump = (text: string, separator = ' ') => Buffer.from(text).toString('hex').match(/../g)!.join(separator);
const undump = (text: string) => Buffer.from(text.replace(/[ :-]/g, ''), 'hex').toString('utf8');

describe('masking, card numbers written as C-style escapes', () => {
  it('reads \\x and \\u00 escapes as the characters they encode, escaped once or twice, with any separator', () => {
    for (const written of [
      cEscaped(PAN), cEscaped(PAN, true), cEscaped('4111 1111 1111 1111'), cEscaped('4111-1111-1111-1111'), uEscaped(PAN), uEscaped('4111.1111.1111.1111'),
      cEscaped(PAN).replace(/\\/g, '\\\\'), `${cEscaped('4111 ')}1111\\x201111 1111`,
    ]) {
      expect(note(`card=${written} ok`), written).toBe('card=41**********1111 ok');
      expect(redactSecrets(`line: card=${written} ok`), written).toBe('line: card=41**********1111 ok');
    }
    expect(note(`a\\x2c${'5555555555554444'}\\x2cb`)).toBe('a\\x2c55**********4444\\x2cb');
  });

  it('leaves escapes that write no card (property over random bytes)', () => {
    for (const text of [cEscaped('4111111111111112'), cEscaped('2026-12-07 12:30:45'), uEscaped('amount 1250.00'), '\\x41\\x42\\xff\\x00', `id${cEscaped(PAN)}`, '\\xzz\\u12']) {
      expect(note(text), text).toBe(text);
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 13, maxLength: 40 }), fc.boolean(), (bytes, u) => {
        const text = `raw ${[...bytes].map((b) => (u ? `\\u${b.toString(16).padStart(4, '0')}` : `\\x${b.toString(16).padStart(2, '0')}`)).join('')} ok`;
        // Bytes holding fewer than 13 ASCII digits hold no card.
        if (Buffer.from(bytes).toString('latin1').replace(/\D/g, '').length < 13) expect(note(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('masking, card numbers in a hex dump', () => {
  it('decodes, masks and writes again a dump apart by spaces, colons or dashes, in its case', () => {
    expect(note(`bytes ${dump(PAN)} end`)).toBe(`bytes ${dump('41**********1111')} end`);
    expect(note(dump('4111 1111 1111 1111', ':'))).toBe(dump('41**********1111', ':'));
    expect(note(dump('5555-5555-5555-4444', '-').toUpperCase())).toBe(dump('55**********4444', '-').toUpperCase());
    // A `hexdump -C` line: the offset stays, the two halves become one dump, the ASCII column is masked as text.
    const line = `00000000  ${dump(PAN.slice(0, 8))}  ${dump(PAN.slice(8))}  |${PAN}|`;
    expect(note(line)).toBe(`00000000  ${dump('41**********1111')}  |41**********1111|`);
    expect(redactSecrets(`body: ${dump(PAN, ':')}`)).toBe(`body: ${dump('41**********1111', ':')}`);
    expect(undump(note(dump('{"pan":"5555555555554444"}')))).toBe('{"pan":"55**********4444"}');
  });

  it('leaves dumps, MAC and IPv6 addresses and times that hold no card (property over random bytes)', () => {
    for (const text of [
      dump('4111111111111112'), dump('2026-12-07 12:30:45', ':'), 'aa:bb:cc:dd:ee:ff', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '12:30:45 12:30:46 12:30:47',
      '34 31 31 31 31 31', `x${dump(PAN, '-')}`, '10 20 30 40 50 60 70 80 90 11 21 31 41 51',
    ]) {
      expect(note(text), text).toBe(text);
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 13, maxLength: 48 }), fc.constantFrom(' ', ':', '-'), fc.boolean(), (bytes, separator, upper) => {
        const hex = Buffer.from(bytes).toString('hex').match(/../g)!.join(separator);
        const shown = upper ? hex.toUpperCase() : hex;
        const text = `dump ${shown} ok`;
        const digits = Buffer.from(bytes).toString('latin1').replace(/\D/g, '');
        // Fewer than 13 ASCII digits hold no card; an upper-case dump apart by dashes may itself
        // read as an IBAN in groups (exports mask any), left out as maskingEncodedCards.test does.
        if (digits.length < 13 && !(upper && isIban(hex.toUpperCase().replace(/-/g, '')))) expect(note(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves none of a card\'s digits but the first two and last four, escaped or dumped with any separator (property)', () => {
    fc.assert(
      fc.property(sixteenDigitPan, fc.constantFrom('', ' ', '-', '.', ':'), fc.constantFrom('x', 'u', 'dump', 'dump:', 'dump-'), (p, sep, form) => {
        const plain = p.match(/\d{4}/g)!.join(sep);
        const written = form === 'x' ? cEscaped(plain) : form === 'u' ? uEscaped(plain) : dump(plain, form.slice(4) || ' ');
        const out = note(`card ${written} ok`);
        const shown = form.startsWith('dump') ? undump(out.slice(5, -3)) : out;
        expect(shown.replace(/\D/g, ''), written).not.toContain(p.slice(2, 12));
      }),
      { numRuns: 600 },
    );
  });

  it('costs a long text of escapes or dumps its length', () => {
    for (const run of [cEscaped(PAN).repeat(20_000), '\\x34\\x31'.repeat(100_000), '\\\\\\'.repeat(100_000), '34 31 '.repeat(100_000), '34:'.repeat(200_000), `${'3a 3A '.repeat(100_000)}`]) {
      expect(cpuMsOf(() => m.scrub(run)), run.slice(0, 12)).toBeLessThan(3_000);
    }
  });
});

describe('masking, escaped and dumped card numbers through the real exporter', () => {
  it('no such card number reaches a CSV, JSON or HTML export', async () => {
    const written = [cEscaped(PAN), uEscaped(PAN), dump(PAN), dump(PAN, ':')];
    const texts = await exportReasons(tempDir('payops-mask-escaped-'), 'escaped', written.map((value) => `returned ${value}`));
    for (const [format, text] of Object.entries(texts)) {
      for (const value of written) expect(text, `${format} ${value}`).not.toContain(value);
    }
  });
});
