// The replay banner's clock as the renderer draws it (react-dom/server). Before, it named no
// zone: in a DST fall-back hour two moments of a replay read alike.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { ReplayClock } from './Banners';

inTimeZone('Europe/Berlin');

describe('the replay clock', () => {
  it("names the zone beside the time, each pass of the repeated hour its own, the UTC instant in its title", () => {
    const first = renderToStaticMarkup(<ReplayClock clock={Date.UTC(2026, 9, 25, 0, 30) / 1000} />);
    const second = renderToStaticMarkup(<ReplayClock clock={Date.UTC(2026, 9, 25, 1, 30) / 1000} />);
    expect(first).toContain('>2026-10-25 02:30:00</span>');
    expect(second).toContain('>2026-10-25 02:30:00</span>');
    expect(first).toContain('data-testid="replay-clock-zone">GMT+2<');
    expect(second).toContain('data-testid="replay-clock-zone">GMT+1<');
    expect(second).toContain('2026-10-25T01:30:00.000Z');
  });

  it('names no zone before the replay has a clock', () => {
    expect(renderToStaticMarkup(<ReplayClock clock={null} />)).not.toContain('replay-clock-zone');
  });
});
