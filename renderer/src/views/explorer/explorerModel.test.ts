import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, explorerHash, filterChips, filterKey, filterOfExplorerHash, fmtAmount, fmtDelta, formOfFilter, prettyJson, reportWindowOf, toEventFilter, toLocalInput, parseLocal, withoutChip } from './explorerModel';

const CLOCK = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('explorer filter form', () => {
  it('an empty form is an empty filter', () => {
    expect(toEventFilter(EMPTY_FORM, CLOCK)).toEqual({ filter: {} });
  });

  it('presets are relative to the engine clock; fields are trimmed and typed', () => {
    const r = toEventFilter(
      { ...EMPTY_FORM, range: '1h', types: ['payment.declined'], merchantId: ' m_1 ', country: 'de', declineCode: '51', decision: 'block', currency: 'eur', amountMin: '1', amountMax: '20.5', search: ' pay_1 ' },
      CLOCK,
    );
    expect(r).toEqual({
      filter: { from: CLOCK - 3_600_000, types: ['payment.declined'], merchantId: 'm_1', country: 'DE', declineCode: '51', decision: 'block', currency: 'EUR', amountMin: 100, amountMax: 2050, search: 'pay_1' },
    });
  });

  // Issue 11: the amount filter was in minor units without saying so, and of no currency.
  it('amounts are typed in major units of the chosen currency and sent as its minor units', () => {
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'JPY', amountMin: '13367' }, CLOCK)).toEqual({ filter: { currency: 'JPY', amountMin: 13367 } });
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'KWD', amountMax: '1.25' }, CLOCK)).toEqual({ filter: { currency: 'KWD', amountMax: 1250 } });
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'EUR', amountMin: '12.50' }, CLOCK)).toEqual({ filter: { currency: 'EUR', amountMin: 1250 } });
    // A code nobody knows: exports show its amounts as minor units, so the filter takes them so.
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'ZZZ', amountMin: '1250' }, CLOCK)).toEqual({ filter: { currency: 'ZZZ', amountMin: 1250 } });
    expect(formOfFilter({ currency: 'ZZZ', amountMin: 1250 })).toMatchObject({ currency: 'ZZZ', amountMin: '1250' });
    expect(filterChips({ currency: 'ZZZ', amountMin: 1250 }, String).map((c) => c.label)).toEqual(['ZZZ 1250–…']);
    expect(toEventFilter({ ...EMPTY_FORM, amountMin: '100' }, CLOCK)).toEqual({ problem: { field: 'currency', message: 'choose the currency the amount is in' } });
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'JPY', amountMin: '1.5' }, CLOCK)).toEqual({ problem: { field: 'amountMin', message: 'JPY has no minor unit: give a whole number' } });
  });

  // Issue 11: a JPY amount of 13367 (minor units; JPY has none) was shown as "133.67 JPY".
  it('shows amounts in major units of their own currency', () => {
    expect(fmtAmount(13367, 'JPY')).toBe('13,367 JPY');
    expect(fmtAmount(13367, 'EUR')).toBe('133.67 EUR');
    expect(fmtAmount(13367, 'BHD')).toBe('13.367 BHD');
    expect(fmtAmount(null, 'EUR')).toBe('');
  });

  it('names the field that is wrong', () => {
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'EUR', amountMin: '1.555' }, CLOCK)).toMatchObject({ problem: { field: 'amountMin' } });
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'EUR', amountMin: '10', amountMax: '5' }, CLOCK)).toMatchObject({ problem: { field: 'amountMax' } });
    expect(toEventFilter({ ...EMPTY_FORM, currency: 'EURO' }, CLOCK)).toMatchObject({ problem: { field: 'currency' } });
    const from = toLocalInput(CLOCK);
    expect(toEventFilter({ ...EMPTY_FORM, range: 'custom', from, to: from }, CLOCK)).toMatchObject({ problem: { field: 'to' } });
    expect(toEventFilter({ ...EMPTY_FORM, range: 'custom', from: 'nonsense' }, CLOCK)).toMatchObject({ problem: { field: 'from' } });
  });

  it('custom ranges round-trip through datetime-local values', () => {
    const from = toLocalInput(CLOCK - 60_000);
    const to = toLocalInput(CLOCK);
    expect(parseLocal(to)).toBe(CLOCK);
    expect(toEventFilter({ ...EMPTY_FORM, range: 'custom', from, to }, CLOCK)).toEqual({ filter: { from: CLOCK - 60_000, to: CLOCK } });
  });

  it('the report window follows the filter, else the last 24 hours', () => {
    expect(reportWindowOf({ from: 5, to: 10 }, CLOCK)).toEqual({ from: 5, to: 10 });
    expect(reportWindowOf({}, CLOCK)).toEqual({ from: CLOCK + 1 - 86_400_000, to: CLOCK + 1 });
  });

  it('formats JSON and deltas', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('not json')).toBe('not json');
    expect(fmtDelta(null)).toBe('start');
    expect(fmtDelta(350)).toBe('+350 ms');
    expect(fmtDelta(1500)).toBe('+1.50 s');
  });
});

describe('explorer filter in the route, and its chips', () => {
  const FILTER = { from: CLOCK - 300_000, to: CLOCK, issuer: 'tamarind-card', cardBin: '529412', attemptMin: 3, currency: 'EUR', amountMin: 1250, types: ['payment.declined'] };

  it('round-trips a filter through the hash; refuses what the contract refuses', () => {
    expect(filterOfExplorerHash(explorerHash(FILTER))).toEqual(FILTER);
    expect(explorerHash({})).toBe('#/explorer');
    expect(filterOfExplorerHash('#/explorer?mcc=12')).toEqual({});
    expect(filterOfExplorerHash('#/explorer?alert=k&scheme=Visa')).toEqual({ scheme: 'visa' });
    expect(filterKey({ issuer: 'a', cardBin: '4111' })).toBe(filterKey({ cardBin: '4111', issuer: 'a' }));
  });

  it('the form shows a linked filter and gives the same filter back', () => {
    const form = formOfFilter(FILTER);
    expect(form).toMatchObject({ range: 'custom', issuer: 'tamarind-card', cardBin: '529412', attempt: '3+', amountMin: '12.50' });
    expect(toEventFilter(form, CLOCK)).toEqual({ filter: { ...FILTER, from: Math.floor(FILTER.from / 1000) * 1000 } });
  });

  it('types the new dimensions: BIN and MCC digits, attempt "2" or "3+"', () => {
    const base = { ...EMPTY_FORM, scheme: ' Visa ', mcc: '5411', threeDS: 'challenged' as const, method: 'card', acquirer: 'acq-north' };
    expect(toEventFilter({ ...base, attempt: '2' }, CLOCK)).toEqual({ filter: { scheme: 'visa', mcc: '5411', threeDS: 'challenged', method: 'card', acquirer: 'acq-north', attemptMin: 2, attemptMax: 2 } });
    expect(toEventFilter({ ...EMPTY_FORM, cardBin: '52a' }, CLOCK)).toMatchObject({ problem: { field: 'cardBin' } });
    expect(toEventFilter({ ...EMPTY_FORM, mcc: '541' }, CLOCK)).toMatchObject({ problem: { field: 'mcc' } });
    expect(toEventFilter({ ...EMPTY_FORM, attempt: '0' }, CLOCK)).toMatchObject({ problem: { field: 'attempt' } });
  });

  it('one chip per condition; removing one keeps the others (the currency takes its amounts)', () => {
    const chips = filterChips(FILTER, (ms) => String(ms));
    expect(chips.map((c) => c.id)).toEqual(['window', 'types', 'issuer', 'cardBin', 'attempt', 'currency']);
    expect(chips.find((c) => c.id === 'attempt')!.label).toBe('attempt ≥ 3');
    const noBin = withoutChip(FILTER, chips.find((c) => c.id === 'cardBin')!);
    expect(noBin).toEqual({ ...FILTER, cardBin: undefined });
    expect(Object.keys(withoutChip(FILTER, chips.find((c) => c.id === 'currency')!))).not.toContain('amountMin');
  });
});
