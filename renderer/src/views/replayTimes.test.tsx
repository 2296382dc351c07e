// The replay view's clock as the renderer draws it (react-dom/server): a capture's position is an
// event time shown in local time, so it names the zone, as every other view's times do; a
// capture over the night the clocks go back reads 02:30 twice without it (Europe/Berlin).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ReplayProgress } from '../../../shared/metrics';
import { inTimeZone } from '../../../test/support/timeZone';
import { ProgressBar, Stats } from './Replay';

inTimeZone('Europe/Berlin');

const at = (position: number): ReplayProgress => ({
  file: 'capture.ndjson', state: 'paused', speed: 1, position, from: null, to: null,
  linesRead: 10, bytesRead: 100, bytesTotal: null, eventsPerSecond: 0, etaMs: null, error: null,
});
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('replay position', () => {
  it('names the zone, both passes of the repeated hour apart', () => {
    expect(text(renderToStaticMarkup(<Stats replay={at(Date.UTC(2026, 9, 25, 0, 30))} />))).toContain('2026-10-25 02:30:00 GMT+2');
    expect(text(renderToStaticMarkup(<Stats replay={at(Date.UTC(2026, 9, 25, 1, 30))} />))).toContain('2026-10-25 02:30:00 GMT+1');
  });

  it("the progress bar's spoken text names it too", () => {
    expect(renderToStaticMarkup(<ProgressBar replay={at(Date.UTC(2026, 9, 25, 1, 30))} />)).toContain('at 2026-10-25 02:30:00 GMT+1');
  });
});
