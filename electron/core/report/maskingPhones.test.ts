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

// A number written nationally, without a "+" or a word naming it ("(415) 555-0132", "020 7946
// 0958", "06 12 34 56 78" in a refund note) went out whole. Now the national forms nothing else is
// written as are masked; every other number in an export stays (precision before recall).
describe('masking, phone numbers written nationally', () => {
  /** A UK, French, German, Dutch or North American number as written at home, with its separators (three groups or more: two read as an id and a count). */
  const national = fc.oneof(
    // North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX.
    fc
      .tuple(fc.stringMatching(/^[2-9]\d\d$/), fc.stringMatching(/^[2-9]\d\d$/), fc.stringMatching(/^\d{4}$/), fc.constantFrom('paren', '-', '.'))
      .map(([area, exchange, line, form]) => (form === 'paren' ? `(${area}) ${exchange}-${line}` : [area, exchange, line].join(form))),
    // Trunk "0", an area code, the subscriber number in groups: "020 7946 0958", "0151 2345 6789", "030 123 4567", "07700 900 123".
    fc
      .tuple(fc.stringMatching(/^0[1-9]\d{1,3}$/), fc.array(fc.stringMatching(/^\d{3,4}$/), { minLength: 2, maxLength: 2 }), fc.constantFrom(' ', '-', '\u00a0'))
      .map(([area, groups, sep]) => [area, ...groups].join(sep)),
    // French: five pairs ("06 12 34 56 78", "01.23.45.67.89").
    fc.tuple(fc.stringMatching(/^0[1-9]$/), fc.array(fc.stringMatching(/^\d\d$/), { minLength: 4, maxLength: 4 }), fc.constantFrom(' ', '.', '-')).map(([first, pairs, sep]) => [first, ...pairs].join(sep)),
  ).filter((n) => {
    const digits = n.replace(/\D/g, '').length;
    // Groups that also write a date ("01 12 2026 ...") read as one, and stay.
    return digits >= 9 && digits <= 12 && !/(?:0?[1-9]|[12]\d|3[01])[ \u00a0.-](?:0?[1-9]|1[0-2])[ \u00a0.-](?:19|20)\d\d/.test(n);
  });

  /** Numbers that are no phone number: dates, ISO times, amounts, ids, BINs, IPs, versions, durations, counts, offsets. */
  const innocent = fc.oneof(
    fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }).chain((d) => {
      const [y, mo, day] = d.toISOString().slice(0, 10).split('-');
      const time = d.toISOString().slice(11, 19);
      return fc.constantFrom(d.toISOString(), d.toISOString().replace('Z', '-08:00'), `${day}/${mo}/${y}`, `${day}.${mo}.${y}`, `${day} ${mo} ${y}`, `${day} ${mo} ${y} ${time.slice(0, 2)} ${time.slice(3, 5)}`, `${y}-${mo}-${day} ${time}`, `${mo}-${day}-${y}`, String(d.getTime()));
    }),
    fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.nat(99)).chain(([major, minor]) => {
      const cents = String(minor).padStart(2, '0');
      return fc.constantFrom(`${major.toLocaleString('en-US')}.${cents}`, `${major.toLocaleString('de-DE')},${cents}`, `${major.toLocaleString('fr-FR')},${cents}`, `${major}.${cents}`, `-${major}.${cents} EUR`, `0.${cents}`);
    }),
    fc.uuid(),
    fc.stringMatching(/^[1-9]\d{5}$/).map((bin) => `(BIN ${bin})`),
    fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.boolean()).map(([a, b, c, d, padded]) => [a, b, c, d].map((x) => (padded ? String(x).padStart(3, '0') : String(x))).join('.')),
    fc.tuple(fc.nat(99), fc.nat(999), fc.nat(9999)).map(([a, b, c]) => `v${a}.${b}.${c}`),
    fc.tuple(fc.nat(10_000_000), fc.constantFrom('ms', 's', 'min', 'events', 'messages')).map(([n, unit]) => `${n} ${unit}`),
    fc.tuple(fc.constantFrom('offset', 'seq', 'order', 'ref', 'id', 'customer C', 'merchant M'), fc.stringMatching(/^\d{4,12}$/)).map(([w, n]) => `${w}${w.endsWith(' C') || w.endsWith(' M') ? '' : ' '}${n}`),
    fc.integer({ min: 0, max: 2 ** 31 }).map((n) => n.toLocaleString('fr-FR')),
    fc.constantFrom('+05:30', '-08:00', 'PT15M', 'P1DT2H'),
  );

  it('masks a national number as written at home, in a sentence too', () => {
    for (const [text, masked] of [
      ['customer asked to be called at (415) 555-0132 tomorrow', 'customer asked to be called at *** tomorrow'],
      ['reach: 415-555-0132 / 415.555.0132', 'reach: *** / ***'],
      ['refund note: 020 7946 0958', 'refund note: ***'],
      ['portable 06 12 34 56 78, bureau 01.23.45.67.89', 'portable ***, bureau ***'],
      ['Rückruf 0151 2345 6789 oder 030 123 4567', 'Rückruf *** oder ***'],
      ['(07700 900 123)', '(***)'],
      ['{"note":"mobiel 06-1234-5678"}', '{"note":"mobiel ***"}'],
    ]) {
      expect(note(text), text).toBe(masked);
    }
  });

  it('leaves the numbers of a payment export that are no phone number', () => {
    for (const text of [
      'issuer tamarind-card (BIN 529412)', 'amount 1,234.56 EUR', 'amount 1 234,56 €', 'on 07/12/2026 10:30', '07 12 2026 10 30', '01.02.2026', '2026-12-07T09:00:00.000+01:00',
      'from 010.001.002.003', 'v1.22.333', 'took 1523 ms', 'customer C1231006815', 'merchant M1979787155', 'order 0123456789', '02079460958', 'seq 0001 0002 0003',
      'counts 415 555 1320', '1 020 7946 0958', 'offset 02000 1000', '030 1234567', '07700 900123', '020 7946 0958 2', 'x020 7946 0958', '123e4567-e89b-12d3-a456-426614174000', 'offset 0 123456789', 'codes 05 51 54 61',
      'dump 01 00 00 00 00 a0 1b ff', 'bytes 9f 01 02 03 04 05',
    ]) {
      expect(note(text), text).toBe(text);
    }
  });

  it('masks any national number, leaving none of its subscriber digits (property)', () => {
    fc.assert(
      fc.property(national, fc.constantFrom('', 'note: ', 'customer ', '('), fc.constantFrom('', ' ok', ', thanks', ')'), (number, before, after) => {
        const out = note(`${before}${number}${after}`);
        expect(out, number).toBe(`${before}***${after}`);
        expect(out).not.toContain(subscriberDigits(number));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves dates, times, amounts, UUIDs, BINs, IPs, versions, durations, ids and offsets, alone or side by side (property)', () => {
    fc.assert(
      fc.property(innocent, fc.constantFrom('', 'paid ', 'note: '), (value, before) => {
        const text = `${before}${value} ok`;
        expect(note(text)).toBe(text);
      }),
      { numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.array(innocent, { minLength: 2, maxLength: 6 }), fc.constantFrom(' ', ', ', '; ', ' | '), (values, separator) => {
        const text = values.join(separator);
        expect(note(text)).toBe(text);
      }),
      { numRuns: 3_000 },
    );
  });

  it('costs a long text of national-looking groups its length', () => {
    for (const run of ['0'.repeat(500_000), '01 '.repeat(200_000), '(415) '.repeat(100_000), '415-555-'.repeat(80_000), '020 7946 0958 '.repeat(40_000), '0151-23 '.repeat(80_000)]) {
      expect(cpuMsOf(() => m.scrub(run)), run.slice(0, 12)).toBeLessThan(3_000);
    }
  });
});
