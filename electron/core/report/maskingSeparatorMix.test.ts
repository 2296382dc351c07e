// A card number whose groups are apart by a colon, a pipe, a tilde, a star or an underscore
// ("4111:1111:1111:1111", a form's fields joined by "|", a file name's "_"), or by a mix of
// separators ("4111 1111-1111.1111", retyped by hand), was exported as it came: the scanner knew
// a space, a dash, a dot, a tab, a line break, a comma, a slash and a semicolon, one kind per
// number. The ordinary numbers such separators also write (times, IPv6 addresses, dates, amounts,
// ids, rows of a table) are not cards and stay: a card's grouping, its network's first digit and
// the Luhn check decide, and a colon, pipe, tilde, star or underscore parts a card only when its
// groups are the whole list.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sixteenDigitPan } from '../../../test/support/cardNumbers';
import { exportReasons } from '../../../test/support/reasonExports';
import { tempDir } from '../../../test/support/tempDir';
import { Masker } from './masking';

const m = new Masker({ enabled: true });
const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;
const grouped = (sep: string | string[], groups = ['4111', '1111', '1111', '1111']) =>
  groups.reduce((out, g, i) => (i === 0 ? g : `${out}${typeof sep === 'string' ? sep : sep[(i - 1) % sep.length]}${g}`), '');
const AMEX = ['3782', '822463', '10005'];
/** The separators this fix adds, ASCII and full-width (typed on a Japanese keyboard with its full-width digits). */
const NEW_SEPARATORS = [':', '|', '~', '*', '_', ' : ', ' | ', ': ', '\uff1a', '\uff5c', '\uff5e', '\uff0a', '\uff3f', '\uff0e'];

describe('masking, card numbers apart by a colon, a pipe, a tilde, a star or an underscore', () => {
  it('masks them in free text and as a whole value, full-width ones too', () => {
    for (const sep of NEW_SEPARATORS) {
      expect(note(`card ${grouped(sep)} declined`), JSON.stringify(sep)).toBe('card 41**********1111 declined');
      expect(note(grouped(sep)), JSON.stringify(sep)).toBe('41**********1111');
      expect(note(grouped(sep, AMEX)), JSON.stringify(sep)).toBe('37*********0005');
    }
    expect(note('\uff14\uff11\uff11\uff11\uff1a\uff11\uff11\uff11\uff11\uff1a\uff11\uff11\uff11\uff11\uff1a\uff11\uff11\uff11\uff11')).toBe('41**********1111');
    expect(note('pan|4111|1111|1111|1111|ok'), 'a row whose other cells are words').toBe('pan|41**********1111|ok');
  });

  it('masks a card whose groups are apart by a mix of separators', () => {
    for (const sep of [[' ', '-', '.'], ['-', ' ', '-'], [':', '|', '~'], [',', '/', ','], ['_', ' ', '*'], [' ', '\u00a0', '\u2013'], ['\t', ' - ', ':']]) {
      expect(note(`card ${grouped(sep)} declined`), JSON.stringify(sep)).toBe('card 41**********1111 declined');
      expect(note(grouped(sep, AMEX)), JSON.stringify(sep)).toBe('37*********0005');
    }
    expect(note('4111 1111-1111.1111')).toBe('41**********1111');
  });

  it('leaves the ordinary numbers these separators write', () => {
    for (const text of [
      // Times, dates, timestamps.
      '12:30:45', '2026-12-07 12:30:45', '2026-12-07T12:30:45.123Z', '07/12/2026 12:30', '2026.12.07', '2026_12_07_1230', 'at 1796640645123',
      // Addresses, ports, versions.
      '192.168.100.200:5672', '2001:4860:4860:0000:0000:0000:0000:8888', '2001:db8::1', '10.0.0.1|10.0.0.2', 'v4.1111.1111',
      // Amounts and ratios.
      'EUR 1,234,567.89', '4111.11 | 1111.11', '16:9', '2*3*4', '1250 * 1200 * 4500 ~ 6000',
      // Ids and file names of 4-digit groups that are more than a card's list.
      'batch_2026_1207_1230_4567_0001', 'IMG_4111_1111_1111_1111_0002.jpg', '1250|3000|4500|1200|6000', '4111|1111|1111|1111|7', '4111:1111:1111:1111:2222',
      // Not a card: Luhn fails, a doubled separator, a partly masked number, no network's first digit.
      '4111:1111:1111:1112', '4111::1111::1111::1111', '4111 **** **** 1111', '4111__1111__1111__1111', '1111|1111|1111|1117', '7111-1111 1111.1114',
    ]) {
      expect(note(text), JSON.stringify(text)).toBe(text);
    }
  });

  it('leaves lists of numbers in no card grouping, whatever mix of separators is between them (property)', () => {
    const separator = fc.constantFrom(' ', '-', '.', ':', '|', '~', '*', '_', ',', '/', ';', '\t', ' - ', ' | ');
    const number = fc.integer({ min: 1, max: 12 }).filter((n) => n !== 4 && n !== 6).chain((n) =>
      fc.tuple(fc.constantFrom(...'123456789'), fc.stringMatching(new RegExp(`^\\d{${n - 1}}$`))).map(([a, b]) => a + b));
    fc.assert(
      fc.property(fc.array(fc.tuple(number, separator), { minLength: 2, maxLength: 10 }), (items) => {
        const text = `values ${items.map(([n, s], i) => (i === 0 ? n : `${s}${n}`)).join('')} end`;
        expect(note(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves times, dates and addresses (property)', () => {
    const two = fc.integer({ min: 0, max: 59 }).map((n) => String(n).padStart(2, '0'));
    const time = fc.tuple(two, two, two, fc.integer({ min: 0, max: 999 })).map(([h, mi, s, ms]) => `${h}:${mi}:${s}.${String(ms).padStart(3, '0')}`);
    const date = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString());
    const ipv4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((a) => a.join('.'));
    const ipv6 = fc.array(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), { minLength: 8, maxLength: 8 }).map((a) => a.join(':'));
    fc.assert(
      fc.property(fc.array(fc.oneof(time, date, ipv4, ipv6, fc.tuple(ipv4, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}`)), { minLength: 1, maxLength: 4 }), (parts) => {
        const text = `at ${parts.join(' ')} ok`;
        expect(note(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves none of a card\'s digits but the first two and last four, whatever mix of separators it is written with (property)', () => {
    const separator = fc.constantFrom(' ', '-', '.', ':', '|', '~', '*', '_', ',', '/', ';', '\t', '\n', ' : ', ' | ', '\u00a0', '\u2013', '\uff1a', '\uff5c');
    fc.assert(
      fc.property(sixteenDigitPan, fc.array(separator, { minLength: 3, maxLength: 3 }), fc.constantFrom('', 'card ', '(', '"', 'ref=', 'x|'), fc.constantFrom('', ' declined', ')', '"', '|x', ' EUR'), (p, seps, before, after) => {
        const written = `${before}${grouped(seps, p.match(/\d{4}/g)!)}${after}`;
        const digits = note(written).replace(/\D/g, '');
        expect(digits, JSON.stringify(written)).not.toContain(p.slice(2, 12));
      }),
      { numRuns: 600 },
    );
  });
});

describe('masking, such card numbers through the real exporter', () => {
  it('no such card number reaches a CSV, JSON or HTML export', async () => {
    const written = [...[':', '|', '~', '*', '_'].map((sep) => grouped(sep)), grouped([' ', '-', '.']), grouped(['\uff1a', '\uff5c', '\uff3f'])];
    const texts = await exportReasons(tempDir('payops-mask-separator-mix-'), 'mix', written.map((card) => `card ${card} at 12:30:45`));
    for (const [format, text] of Object.entries(texts)) {
      expect(text, format).not.toMatch(/(?:4111|\uff14\uff11\uff11\uff11)\D{1,3}(?:1111|\uff11\uff11\uff11\uff11)/);
      expect(text, format).toContain('41**********1111');
      expect(text, format).toContain('12:30:45');
    }
  });
});
