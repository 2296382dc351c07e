// Card numbers and tokens that exports let through: a card number written with no-break spaces
// (copied from a web page or a PDF: "4111\u00a01111\u00a01111\u00a01111"), thin spaces or dots
// ("4111.1111.1111.1111"), and a JWT in free text (a producer's note "sent eyJhbGci..."; its
// header and payload are base64url JSON, so it always starts "eyJ" and has two dots) were
// exported as they came. Through the real CSV exporter too.
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sixteenDigitPan } from '../../../test/support/cardNumbers';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn } from '../store/store';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { Masker } from './masking';
import { runExport } from './reportExport';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PANS = ['4111\u00a01111\u00a01111\u00a01111', '4111\u202f1111\u202f1111\u202f1111', '4111\u20091111\u20091111\u20091111', '4111.1111.1111.1111', '5555\u30005555\u30005555\u30004444'];
const dir = tempDir('payops-mask-separators-');
let db: Database.Database | undefined;
afterAll(() => db?.close());

describe('masking', () => {
  const m = new Masker({ enabled: true });

  it('masks a card number whose groups are apart by any space or a dot', () => {
    for (const pan of PANS) {
      const out = m.deep({ note: `card ${pan} declined` }) as { note: string };
      expect(out.note, JSON.stringify(pan)).toMatch(/^card (41\*{10}1111|55\*{10}4444) declined$/);
    }
    // What is no card number keeps its form: a version, a date, a short run.
    expect(m.deep({ v: '4.1.1 2026.12.03 4111.1111' })).toEqual({ v: '4.1.1 2026.12.03 4111.1111' });
  });

  it('masks a JWT in free text and as a whole value, and leaves what only starts alike', () => {
    expect(m.deep({ note: `sent ${JWT} ok` })).toEqual({ note: 'sent *** ok' });
    expect(m.deep({ ref: JWT })).toEqual({ ref: '***' });
    expect(m.deep({ ref: 'eyJ.only' })).toEqual({ ref: 'eyJ.only' });
  });

  it('no such value reaches a CSV or JSON export', async () => {
    const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
    db = openDatabase(path.join(dir, 'm.db'));
    storeEvents(db, PANS.map((pan, i) => ({
      specversion: '1.0', id: `e${i}`, source: 'psp', type: 'payment.declined', time: new Date(T0 + i * 1000).toISOString(),
      data: { paymentId: `p${i}`, merchantId: 'm_1', amount: 100, currency: 'EUR', declineCode: '05', reason: `card ${pan}`, ref: JWT },
    })));
    const store = storeOn(db);
    for (const format of ['csv', 'json'] as const) {
      const out = path.join(dir, `out.${format}`);
      await runExport(store, { from: T0, to: T0 + 60_000, format, outFile: out });
      const text = fs.readFileSync(out, 'utf8');
      expect(text).not.toContain('eyJhbGci');
      expect(text).not.toMatch(/4111\D?1111\D?1111\D?1111|5555\D?5555\D?5555\D?4444/);
    }
  });
});

// A card's security code under the name payment APIs give it (securityCode, security_code,
// card_security_code, csc: the CVV by another name) and a PEM private key in free text.
describe('masking, card security codes and private keys', () => {
  const m = new Masker({ enabled: true });

  it('masks a security code by its other names, and not what only contains the letters', () => {
    expect(m.deep({ securityCode: '123', card: { security_code: '999', CSC: '1234' } })).toEqual({ securityCode: '***', card: { security_code: '***', CSC: '***' } });
    expect(m.deep({ discount: 'x', cscope: 'y' })).toEqual({ discount: 'x', cscope: 'y' });
  });

  // A phone number under the names telecoms and payment APIs give it (msisdn, mobile, tel):
  // masked like "phone", and not words that only contain the letters (automobile, hotel).
  it('masks a phone number by its other names, and not what only contains the letters', () => {
    expect(m.deep({ msisdn: '447946095800', customerMSISDN: '447946095800', mobile: '+44 7946 095800', mobile_number: '07946 095800', Tel: '+1 555 123 4567' })).toEqual({
      msisdn: '***',
      customerMSISDN: '***',
      mobile: '***',
      mobile_number: '***',
      Tel: '***',
    });
    expect(m.deep({ automobile: 'van', hotel: 'Ritz', telemetry: 'on', channel: 'mobile' })).toEqual({ automobile: 'van', hotel: 'Ritz', telemetry: 'on', channel: 'mobile' });
  });

  it('masks a PEM private key block in any value', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----';
    expect(m.deep({ note: `key:\n${pem}\nend` })).toEqual({ note: 'key:\n***\nend' });
    expect(m.deep({ cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' })).toEqual({ cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
  });
});

// What a URL carries encoded went out as it came: a card number in a query string with its spaces
// encoded ("4111%201111%201111%201111"; a form's "4111+1111+1111+1111") and an e-mail address
// with its "@" encoded ("alice%40example.com"), as a checkout's callback or return URL holds them.
describe('masking, card numbers and e-mail addresses encoded in a URL', () => {
  it('masks them, and leaves encoded text that holds none', () => {
    const masked = new Masker({ enabled: true }).deep({
      a: 'https://shop.example/cb?card=4111%201111%201111%201111&x=1',
      b: 'https://shop.example/cb?card=4111+1111+1111+1111',
      c: 'https://shop.example/cb?email=alice%40example.com&lang=en',
      kept: ['1+2=3, 100%20 off, 4111%2F1111%2F1111%2F1112', 'q=4111+1111+1111+1112', 'a%40b'],
    });
    expect(masked).toEqual({
      a: 'https://shop.example/cb?card=41**********1111&x=1',
      b: 'https://shop.example/cb?card=41**********1111',
      c: 'https://shop.example/cb?email=***&lang=en',
      kept: ['1+2=3, 100%20 off, 4111%2F1111%2F1111%2F1112', 'q=4111+1111+1111+1112', 'a%40b'],
    });
  });
});

// A card number whose groups are apart by a tab, a line break, a comma or a slash (pasted from a
// spreadsheet row, a form's fields joined, "4111/1111/1111/1111" typed in a note) was exported
// as it came: the scanner's groups were apart by a space, a dash or a dot only. Such separators
// also part the numbers of a CSV row or a list, so with them a card is only the whole list (four
// groups of four, or Amex's 4-6-5) that passes Luhn: a longer row of numbers stays.
describe('masking, card numbers apart by a tab, a line break, a comma or a slash', () => {
  const m = new Masker({ enabled: true });
  const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;

  it('masks them in free text and as a whole value', () => {
    for (const sep of ['\t', '\n', '\r\n', ',', '/', ', ', '; ', ';']) {
      const pan = ['4111', '1111', '1111', '1111'].join(sep);
      expect(note(`card ${pan} declined`), JSON.stringify(sep)).toBe('card 41**********1111 declined');
      expect(note(pan), JSON.stringify(sep)).toBe('41**********1111');
      expect(note(['3782', '822463', '10005'].join(sep)), JSON.stringify(sep)).toBe('37*********0005');
    }
    // Escaped once more, as a log line or a JSON text quotes them; and after such an escape.
    expect(note('card 4111\\t1111\\t1111\\t1111')).toBe('card 41**********1111');
    expect(note('a\\r\\n4111\\r\\n1111\\r\\n1111\\r\\n1111')).toBe('a\\r\\n41**********1111');
    expect(note('line\\n4111 1111 1111 1111')).toBe('line\\n41**********1111');
  });

  it('leaves rows of numbers that are no card: Luhn fails, one more number in the row, dates', () => {
    for (const text of [
      '4111,1111,1111,1112',
      '12,4111,1111,1111,1111',
      '4111,1111,1111,1111,7',
      '2024,1500,3000,4500,1200,6000',
      '2026/12/03 4111/1111',
      'amount\tcount\n1250\t3\n4111\t1',
      '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16',
    ]) {
      expect(note(text), JSON.stringify(text)).toBe(text);
    }
  });

  it('leaves any row of five or more numbers of four digits (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1000, max: 9999 }), { minLength: 5, maxLength: 12 }), fc.constantFrom('\t', '\n', ',', '/', ', ', ';', ':', '|', '~', '*', '_', ' | ', '\uff1a'), (row, sep) => {
        const text = row.join(sep);
        expect(note(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('costs a long row of numbers its length', () => {
    // Quadratic work here (each group reading the rest of the row) takes minutes at this size.
    for (const run of ['4111,'.repeat(80_000), '4111\t1111\n'.repeat(20_000), '4111, '.repeat(40_000), '4111:'.repeat(80_000), '4111|1111~'.repeat(40_000), '4111 1111-1111.'.repeat(30_000), '\uff14\uff11\uff11\uff11\uff1a'.repeat(60_000)]) {
      let out = '';
      const cpuMs = cpuMsOf(() => {
        out = m.scrub(run) as string;
      });
      expect(cpuMs, JSON.stringify(run.slice(0, 12))).toBeLessThan(3_000);
      expect(out.length).toBeLessThanOrEqual(run.length);
    }
  });

  it('no such card number reaches a CSV, JSON or HTML export', async () => {
    const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
    const seps = ['\t', '\n', ',', '/'];
    const file = openDatabase(path.join(dir, 'weak.db'));
    try {
      storeEvents(file, seps.map((sep, i) => ({
        specversion: '1.0', id: `w${i}`, source: 'psp', type: 'payment.declined', time: new Date(T0 + i * 1000).toISOString(),
        data: { paymentId: `pw${i}`, merchantId: 'm_1', amount: 100, currency: 'EUR', declineCode: '05', reason: `card ${['4111', '1111', '1111', '1111'].join(sep)}` },
      })));
      for (const format of ['csv', 'json', 'html'] as const) {
        const out = path.join(dir, `weak.${format}`);
        await runExport(storeOn(file), { from: T0, to: T0 + 60_000, format, outFile: out });
        const text = fs.readFileSync(out, 'utf8');
        expect(text, format).not.toMatch(/4111(?:\\t|\\n|\t|\n|,|\/|&#10;|&#9;)1111/);
      }
    } finally {
      file.close();
    }
  });
});

// Found by exporting a card number written every way a fuzz list holds, in every field: one with
// an invisible character between its digits (a zero-width space, a soft hyphen, a word joiner:
// pasted from a web page, or put there to slip past a filter) is drawn as the whole number by a
// spreadsheet reading the CSV; one with the dashes a word processor types (en dash, non-breaking
// hyphen, minus sign, full-width hyphen) or with two blanks or " - " between its groups reads as
// a card too. All went out as they came.
describe('masking, card numbers with invisible characters, typographic dashes or wider separators', () => {
  const m = new Masker({ enabled: true });
  const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;
  const grouped = (sep: string) => ['4111', '1111', '1111', '1111'].join(sep);

  it('masks them', () => {
    for (const pan of [
      grouped('\u200b'), grouped('\u00ad'), grouped('\u2060'), '4111111111111111'.split('').join('\u200b'), `\ufeff${grouped(' ')}`, grouped(' \u200b'),
      grouped('\u2013'), grouped('\u2014'), grouped('\u2011'), grouped('\u2212'), grouped('\uff0d'),
      grouped('  '), grouped('\u00a0\u00a0'), grouped(' - '), grouped(' \u2013 '), grouped('. '),
    ]) {
      expect(note(`card ${pan} declined`), JSON.stringify(pan)).toMatch(/^card \ufeff?41\*{10}1111 declined$/);
    }
  });

  it('leaves what is no card: more than three between groups, a date range, Luhn failing', () => {
    for (const text of [
      grouped('    '), '2024\u20132025 1111\u20131111', grouped('\u2013').replace(/1$/, '2'), '4111\u200b1111\u200b1111\u200b1112', 'v1.2 - 3.4 - 5.6',
    ]) {
      expect(note(text), JSON.stringify(text)).toBe(text);
    }
  });

  it('costs a long run of such characters its length', () => {
    for (const run of ['4\u200b'.repeat(200_000), '4111 - '.repeat(100_000), '\u00ad'.repeat(400_000), '4111  \u2013 '.repeat(60_000)]) {
      expect(cpuMsOf(() => m.scrub(run)), JSON.stringify(run.slice(0, 8))).toBeLessThan(2_000);
    }
  });
});

// The fuzz list above as a property: a card number written with any separator masking reads, in
// any context and at any depth of an event (a value, an array, a map key), leaves no run of its
// digits in the masked body.
describe('masking, card numbers written any way masking reads (property)', () => {
  const m = new Masker({ enabled: true });
  const seps = ['', ' ', '-', '.', '\u00a0', '\u202f', '\u2013', '\u2011', '  ', ' - ', '\t', '\n', '\r\n', ',', ', ', '/', ';', '\u200b', '+', '%20', '\\n'];

  it('leaves none of its digits but the first two and last four', () => {
    fc.assert(
      fc.property(sixteenDigitPan, fc.constantFrom(...seps), fc.constantFrom('', 'card ', 'note: ', '(', '"', '\n', '\u200b', 'ref=', 'x '), fc.constantFrom('', ' declined', ')', '.', '"', '\n', ' EUR', ';'), fc.integer({ min: 0, max: 3 }), (p, sep, before, after, place) => {
        const written = `${before}${p.match(/\d{4}/g)!.join(sep)}${after}`;
        const body = [{ note: written }, { a: { b: [1, written] } }, { [written]: 1 }, { card_holder_note: written }][place];
        const digits = JSON.stringify(m.deep(body)).replace(/\D/g, '');
        expect(digits, JSON.stringify(written)).not.toContain(p.slice(2, 12));
      }),
      { numRuns: 600 },
    );
  });
});
