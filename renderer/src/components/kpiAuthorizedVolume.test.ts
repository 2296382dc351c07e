// The Authorized / min tile's line under the busiest currency: the next two currencies and how
// many more were authorized in the minute. The snapshot lists the busiest 8 currencies and
// counts them all (authorizedCurrencies): with 12 currencies the line says "+9 more", not "+5".
import { describe, expect, it } from 'vitest';
import type { CurrencyVolume } from '../../../shared/metrics';
import { authorizedVolumeSub } from './Kpis';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'BHD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];
/** The busiest `n` of the list, as the engine sends them (at most 8). */
const sent = (n: number): CurrencyVolume[] => CURRENCIES.slice(0, Math.min(8, n)).map((currency, i) => ({ currency, amount: 100_000 - i, count: 20 - i }));

describe('Authorized / min: the currencies past those named', () => {
  it('counts every currency of the minute, past the 8 the snapshot lists', () => {
    expect(authorizedVolumeSub(sent(12), 12)).toMatch(/ · \+9 more$/);
    expect(authorizedVolumeSub(sent(9), 9)).toMatch(/ · \+6 more$/);
    expect(authorizedVolumeSub(sent(8), 8)).toMatch(/ · \+5 more$/);
  });

  it('reads a snapshot without the count (an older engine) by its list', () => {
    expect(authorizedVolumeSub(sent(8))).toMatch(/ · \+5 more$/);
    expect(authorizedVolumeSub(sent(3))).not.toContain('more');
    expect(authorizedVolumeSub(sent(3), 3)).not.toContain('more');
  });

  it('with one currency gives its payments, with none the window', () => {
    expect(authorizedVolumeSub(sent(1), 1)).toBe('20 payments');
    expect(authorizedVolumeSub([], 0)).toBe('last minute');
  });
});
