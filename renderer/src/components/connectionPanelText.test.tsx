// The connection panel's "Last event stored" as the renderer draws it (react-dom/server): an
// event time in local time names its zone, as every other view's times do; a capture over the
// night the clocks go back reads 02:30 twice without it (Europe/Berlin).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { LastEventStored } from './ConnectionPanel';

inTimeZone('Europe/Berlin');

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
// 25 October 2026: 03:00 CEST goes back to 02:00 CET; 00:30 and 01:30 UTC both read 02:30.
const FIRST = Date.UTC(2026, 9, 25, 0, 30);
const SECOND = Date.UTC(2026, 9, 25, 1, 30);

describe('last event stored', () => {
  it('names the zone, both passes of the repeated hour apart, with its age', () => {
    expect(text(renderToStaticMarkup(<LastEventStored at={FIRST} now={FIRST + 12_000} />))).toBe('02:30:00 GMT+2 (12 s ago)');
    expect(text(renderToStaticMarkup(<LastEventStored at={SECOND} now={SECOND + 12_000} />))).toBe('02:30:00 GMT+1 (12 s ago)');
  });

  it('titles it with the date, zone and UTC instant', () => {
    expect(renderToStaticMarkup(<LastEventStored at={SECOND + 250} now={SECOND + 12_000} />)).toContain(
      'title="2026-10-25 02:30:00.250 GMT+1 · 2026-10-25T01:30:00.250Z"',
    );
  });

  it('gives the date when the event is from another day than the clock it is read on', () => {
    expect(text(renderToStaticMarkup(<LastEventStored at={SECOND} now={SECOND + 3 * 86_400_000} />))).toBe('2026-10-25 02:30:00 GMT+1 (3 d ago)');
  });

  it('says when there is none', () => {
    expect(text(renderToStaticMarkup(<LastEventStored at={null} now={SECOND} />))).toBe('none yet');
  });
});
