// The CLI's end lines count one as one: "stored 1 event, 1 duplicate" (was "1 events, 1
// duplicates"), "1 conflicting duplicate", "1 unreadable line", "exporting: 1 event so far".
import { describe, expect, it } from 'vitest';
import { formatSummary as collectSummary } from './commands/collectCommand';
import { exportProgressLine } from './commands/reportCommand';
import { formatSummary as replaySummary } from './commands/replayCommand';
import { conflicts } from './conflictText';
import { formatStatsText } from './commands/statsCommand';

const PLURAL_OF_ONE = /\b1 (events|duplicates|lines|messages|rules|conflicting duplicates)\b|\(s\)/;

describe('the CLI\'s counts', () => {
  it('collect and replay: one event, one duplicate, one conflicting duplicate, one unreadable line', () => {
    const collect = collectSummary({ events: 1, duplicates: 1, quarantined: 1, conflictingDuplicates: 1, durationMs: 1000, stoppedBecause: 'SIGINT' });
    expect(collect).toMatch(/^stored 1 event, 1 duplicate, 1 quarantined \(1 conflicting duplicate: /);
    expect(collect).not.toMatch(PLURAL_OF_ONE);
    const replay = replaySummary({ events: 1, duplicates: 1, quarantined: 1, conflictingDuplicates: 0, badLines: 1, linesRead: 1, durationMs: 10, capture: 'c.ndjson', db: 'r.db', complete: true });
    expect(replay).toMatch(/^replayed 1 line of c.ndjson into r.db: 1 event, 1 duplicate, 1 quarantined \(1 unreadable line, 0 conflicting duplicates: /);
    expect(replay).not.toMatch(PLURAL_OF_ONE);
    expect(conflicts(2)).toMatch(/^2 conflicting duplicates:/);
  });

  it('a CSV export\'s progress', () => {
    expect(exportProgressLine({ done: 1, total: 0, bytes: 10 }, '')).toBe('exporting: 1 event so far');
    expect(exportProgressLine({ done: 1, total: 1, bytes: 10 }, '')).toBe('exporting: 1 of 1 event (100%)');
    expect(exportProgressLine({ done: 1, total: 2, bytes: 10 }, '')).toBe('exporting: 1 of 2 events (50%)');
  });

  it('stats: one conflicting duplicate', () => {
    const text = formatStatsText({ events: 1, byType: {}, duplicates: 0, redeliveredDuplicates: 0, quarantined: 1, conflictingDuplicates: 1, quarantineHeld: 1, unknownTypes: 0, authorizedAmountByCurrency: {}, firstEventTime: null, lastEventTime: null } as never);
    expect(text).toContain('quarantined   1 (1 conflicting duplicate: same source and id, another body)');
    expect(text).not.toMatch(PLURAL_OF_ONE);
  });
});
