// The health board of a database that holds no attempt yet (a console's first minutes), on a
// real SQLite file: it is the board of the last minutes before now, not of the first minutes of 1970.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { healthFromStore } from './triageService';

const MINUTE = 60_000;
const dir = tempDir('payops-health-empty-');
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

describe('health board over an empty database', () => {
  it('covers the minutes up to now, and has no segment', () => {
    const store = openStore(path.join(dir, 'empty.db'));
    stores.push(store);
    const now = Date.UTC(2026, 11, 6, 21, 7, 30);
    const board = healthFromStore(store, { windowMinutes: 5, baselineMinutes: 60 }, now);
    expect(board.segments).toEqual([]);
    expect({ from: board.from, to: board.to }).toEqual({
      from: new Date(Date.UTC(2026, 11, 6, 21, 8) - 5 * MINUTE).toISOString(),
      to: new Date(Date.UTC(2026, 11, 6, 21, 8)).toISOString(),
    });
  });
});
