// A phone number was masked only in a field named for one (phone, msisdn, mobile, tel): written
// in free text ("call +44 20 7946 0958", "+1 (415) 555-0132" in a refund note, "tel: 0049 30
// 1234567" in a producer's reason) it went out whole. Now a number written internationally (a "+"
// and a country code) or right after a word that names a phone is masked as "***", the word kept.
// Amounts, times, dates, IP addresses, order numbers, BINs, decline codes, durations stay.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { exportReasons } from '../../../test/support/reasonExports';
import { tempDir } from '../../../test/support/tempDir';
import { Masker } from './masking';

const m = new Masker({ enabled: true });
const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;

/** A phone number written internationally: "+", a country code, a subscriber number in groups apart by one kind of separator, an area code in parentheses or not. */
const international = fc
  .tuple(
    fc.integer({ min: 1, max: 999 }),
    fc.stringMatching(/^[1-9]\d{2,3}$/),
    // The last group of two or four digits (one of three after dots, "+1.100.000.000", reads as an amount).
    fc.tuple(fc.array(fc.stringMatching(/^\d{2,4}$/), { minLength: 1, maxLength: 2 }), fc.stringMatching(/^\d{2}(?:\d{2})?$/)).map(([g, last]) => [...g, last]),
    fc.constantFrom(' ', '-', '.', '', '\u00a0'),
    fc.boolean(),
  )
  .filter(([cc, area, groups]) => {
    const digits = String(cc).length + area.length + groups.join('').length;
    return digits >= 9 && digits <= 15;
  })
  .map(([cc, area, groups, sep, paren]) => `+${cc}${sep || (paren ? ' ' : '')}${paren ? `(${area})` : area}${sep || (paren ? ' ' : '')}${groups.join(sep)}`)
  // Groups that write a date ("+1.100.07.01.2000") read as one, and stay.
  .filter((number) => !/(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d\d|(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])/.test(number));
/** A national number ("020 7946 0958") or one with the 00 prefix, after a word that names a phone. */
const cued = fc
  .tuple(
    fc.constantFrom('tel:', 'Tel.', 'phone', 'Phone:', 'call', 'mobile no.', 'fax:', 'SMS to', 'whatsapp', 'msisdn='),
    fc.constantFrom('0', '00'),
    fc.array(fc.stringMatching(/^[1-9]\d{2,3}$/), { minLength: 2, maxLength: 3 }),
    fc.constantFrom(' ', '-', ''),
  )
  .map(([cue, prefix, groups, sep]) => [cue, `${prefix}${groups.join(sep)}`] as const)
  .filter(([, number]) => number.replace(/\D/g, '').length >= 7);
/** A number's last six digits: what a masked number never shows. */
const subscriberDigits = (number: string) => number.replace(/\D/g, '').slice(-6);

describe('masking, phone numbers in free text', () => {
  it('masks a number written internationally, or after a word that names a phone, and keeps the word', () => {
    for (const [text, masked] of [
      ['call +44 20 7946 0958 after 5', 'call *** after 5'],
      ['customer asked: +1 (415) 555-0132.', 'customer asked: ***.'],
      ['tel: 0049 30 1234567', 'tel: ***'],
      ['Tel.: +49 30 1234567, fax: +49 30 1234568', 'Tel.: ***, fax: ***'],
      ['mobile no. 0151 2345 6789', 'mobile no. ***'],
      ['reach me on +442079460958', 'reach me on ***'],
      ['{"note":"phone=+33 1.23.45.67.89"}', '{"note":"phone=***"}'],
      ['WhatsApp 0044 7700 900123 (evenings)', 'WhatsApp *** (evenings)'],
    ]) {
      expect(note(text), text).toBe(masked);
    }
  });

  it('leaves amounts, times, dates, IP addresses, order numbers, BINs, decline codes and durations', () => {
    for (const text of [
      'amount +1,250.00 EUR', 'refund +1234567.89', 'balance +1.250.000.000', '2026-12-07T12:30:45+01:00', '+2026-12-07', 'on 07/12/2026 at 12:30',
      'from 192.168.100.200', 'call 192.168.100.200 failed', 'order 12345678', 'order #2026-000123', 'bin 411111', 'cardBin 510002', 'decline code 05',
      'took +1500 ms', 'retry in 3600000 ms', 'ts 1765087230000', 'epoch 1765087230', 'delta +12', 'hotel 12345678', 'call 3 times', 'calls 1234567',
      'ringtone 1234567', 'call at 2026-12-07 12:30', randomUUID(), 'x+4420794609581234567890', 'v1.2.3+20261207', 'sum 4+4=8', 'tel', '+44',
    ]) {
      expect(note(text), text).toBe(text);
    }
  });

  it('leaves signed and unsigned amounts, timestamps, dates, IPs and ids (property)', () => {
    const innocent = fc.oneof(
      fc.tuple(fc.constantFrom('+', '-', ''), fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 })).map(([sign, major, minor]) => `${sign}${major}.${String(minor).padStart(2, '0')}`),
      fc.tuple(fc.constantFrom('+', ''), fc.integer({ min: 1_000, max: 2 ** 31 })).map(([sign, n]) => `${sign}${n.toLocaleString('en-US')}`),
      fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }).chain((d) =>
        fc.constantFrom(d.toISOString(), d.toISOString().replace('Z', '+05:30'), d.toISOString().slice(0, 10), `+${d.toISOString().slice(0, 10)}`, String(d.getTime()))),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
      fc.tuple(fc.constantFrom('order', 'ref', 'bin', 'code', 'took', 'id'), fc.stringMatching(/^[0-9]{2,12}$/)).map(([w, n]) => `${w} ${n}`),
      fc.tuple(fc.constantFrom('+', ''), fc.integer({ min: 0, max: 9_999_999 })).map(([sign, n]) => `${sign}${n} ms`),
    );
    fc.assert(fc.property(innocent, fc.constantFrom('', 'paid ', 'note: '), (value, before) => {
      const text = `${before}${value} ok`;
      expect(note(text)).toBe(text);
    }), { numRuns: 2_000 });
  });

  it('leaves a row of such values side by side (property): a signed amount before other numbers is no phone', () => {
    const value = fc.oneof(
      fc.integer({ min: -1e12, max: 1e12 }).map(String),
      fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((d) => `${d >= 0 ? '+' : ''}${d.toFixed(2)}`),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.uuid(),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
      fc.integer({ min: 0, max: 2 ** 31 }).map((n) => n.toLocaleString('de-DE')),
      fc.constantFrom('EUR', 'ms', 'order', '#', 'code', 'bin', 'PT15M'),
    );
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), fc.constantFrom(' ', ', ', '; '), (values, separator) => {
      const text = values.join(separator);
      expect(note(text)).toBe(text);
    }), { numRuns: 3_000 });
  });

  it('masks any number written internationally or after a cue, leaving none of its digits (property)', () => {
    fc.assert(fc.property(international, fc.constantFrom('', 'call ', 'customer: ', '('), (number, before) => {
      const out = note(`${before}${number} ok`);
      // A number that is also a card number (14-15 digits, Luhn) is masked as one: its first two and last four shown.
      if (out.includes('*'.repeat(6))) expect(out, number).not.toContain(subscriberDigits(number));
      else expect(out, number).toBe(`${before}*** ok`);
    }), { numRuns: 1_000 });
    fc.assert(fc.property(cued, ([cue, number]) => {
      const out = note(`${cue} ${number} thanks`);
      expect(out, `${cue} ${number}`).toBe(`${cue} *** thanks`);
      expect(out).not.toContain(subscriberDigits(number));
    }), { numRuns: 1_000 });
  });

  it('costs a long text of pluses, digits and cue words its length', () => {
    for (const run of ['+1 '.repeat(200_000), `+${'1'.repeat(500_000)}`, 'tel: 0'.repeat(100_000), 'call +4 '.repeat(100_000), '+44 (20) '.repeat(60_000)]) {
      expect(cpuMsOf(() => m.scrub(run)), run.slice(0, 12)).toBeLessThan(3_000);
    }
  });
});

describe('masking, phone numbers through the real exporter', () => {
  it('no such number reaches a CSV, JSON or HTML export', async () => {
    const written = ['+44 20 7946 0958', '+1 (415) 555-0132', '0049 30 1234567'];
    const texts = await exportReasons(tempDir('payops-mask-phones-'), 'phones', ['call +44 20 7946 0958', 'customer +1 (415) 555-0132', 'tel: 0049 30 1234567']);
    for (const [format, text] of Object.entries(texts)) {
      for (const value of written) expect(text, `${format} ${value}`).not.toContain(value);
    }
  });
});
