// The replay view's recent captures as the renderer draws them (react-dom/server): when each was
// opened is a local time, so it names the zone, as every other view's times do; two opened in
// the hour the clocks go back read alike without it (Europe/Berlin).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { RecentCaptures } from './ReplayOpen';

inTimeZone('Europe/Berlin');

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('recent captures', () => {
  // 25 October 2026: 03:00 CEST goes back to 02:00 CET; both read 02:30 (newest first).
  const recent = [
    { file: '/data/b.ndjson.gz', openedAt: Date.UTC(2026, 9, 25, 1, 30, 0, 250) },
    { file: '/data/a.ndjson.gz', openedAt: Date.UTC(2026, 9, 25, 0, 30) },
  ];
  // Drawn in each test, not here: the zone is set before the tests run, after this block is read.
  const draw = () => renderToStaticMarkup(<RecentCaptures recent={recent} opening={false} onReplay={() => undefined} />);

  it('names the zone of when each was opened, both passes of the repeated hour apart', () => {
    expect(text(draw())).toContain('2026-10-25 02:30:00 GMT+1');
    expect(text(draw())).toContain('2026-10-25 02:30:00 GMT+2');
  });

  it('titles it with the zone and the UTC instant', () => {
    expect(draw()).toContain('title="2026-10-25 02:30:00.250 GMT+1 · 2026-10-25T01:30:00.250Z"');
  });
});
