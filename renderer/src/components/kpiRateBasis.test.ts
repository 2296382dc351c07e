// The Failures and Risk tiles' line under the count: the rate with what it is a share of, over
// the last minute as the tiles beside them say; with nothing to divide by, that there was nothing
// ("no attempts in the last minute"), not "rate — of attempts". The engine gives a null rate
// when the minute held no attempts (no scorings), and a snapshot with none is read as null too.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../../../test/support/emptySnapshot';
import { KpiTiles, kpiValues, rateSubText } from './Kpis';

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

describe('a count tile\'s rate line', () => {
  it('with no attempts in the minute says so, not a dash rate', () => {
    const k = kpiValues(emptySnapshot(T0, { failureRate: null, riskFlaggedRate: null }));
    expect(rateSubText(k.failureRate, 'attempts')).toBe('no attempts in the last minute');
    expect(rateSubText(k.riskFlaggedRate, 'scorings')).toBe('no scorings in the last minute');
    expect(rateSubText(kpiValues(null).failureRate, 'attempts')).not.toContain('—');
  });

  it('gives the rate with its basis and window', () => {
    expect(rateSubText(0.0123, 'attempts')).toBe('1.23% of attempts · last minute');
    expect(rateSubText(0, 'scorings')).toBe('0.00% of scorings · last minute');
  });
});

// Issue 13: every rate says which it is. The approval and decline sparklines are per attempt (as
// their tiles); a screen reader hears the sparkline's name, not the line under the tile.
describe("the rate tiles' sparklines", () => {
  it('are named per attempt', () => {
    const html = renderToStaticMarkup(createElement(KpiTiles));
    expect(html).toContain('aria-label="Approval rate per attempt, trend over the last 15 minutes"');
    expect(html).toContain('aria-label="Decline rate per attempt, trend over the last 15 minutes"');
  });
});
