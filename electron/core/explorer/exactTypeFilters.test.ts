// The explorer's type, country and scheme filters are exact, as its other text filters are: the
// contract trimmed them, so a type stored as " ops.note" (EVENTS.md: a non-empty string; an
// unknown type is kept) showed "ops.note"'s events, and " DE" read as DE. A type is now matched as
// stored; a country or scheme that no event can carry (white space in it) is refused, not trimmed.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequestSchemas } from '../../../shared/api';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { storeEvents } from '../../../test/support/explorerTestKit';
import type Database from 'better-sqlite3';

const BASE = Date.UTC(2026, 10, 23, 5, 0, 0);
const dir = tempDir('payops-exact-types-');
let db: Database.Database;
let store: Store;

const TYPES = ['ops.note', ' ops.note', 'ops.note '];

beforeAll(() => {
  db = openDatabase(path.join(dir, 'types.db'));
  store = storeOn(db);
  storeEvents(
    db,
    TYPES.map((type, i) => ({ specversion: '1.0', id: `e${i}`, source: 'ops/exact', type, time: new Date(BASE + i * 1000).toISOString(), data: { note: i } })),
  );
});
afterAll(() => db?.close());

const parse = (filter: Record<string, unknown>) => apiRequestSchemas['events.query'].safeParse({ filter, limit: 100 });

describe('type, country and scheme filters are exact', () => {
  it('a type with white space at an end finds that type, and only it', () => {
    TYPES.forEach((type, i) => {
      const request = parse({ types: [type] });
      expect(request.success, JSON.stringify(type)).toBe(true);
      expect(store.eventPages.page(request.data!).rows.map((r) => r.id), JSON.stringify(type)).toEqual([`e${i}`]);
    });
  });

  it('a country or scheme with white space in it is refused, not read as another', () => {
    for (const filter of [{ country: ' DE' }, { country: 'DE ' }, { scheme: ' visa' }, { scheme: 'visa ' }, { types: [''] }]) {
      expect(parse(filter).success, JSON.stringify(filter)).toBe(false);
    }
    expect(parse({ country: 'de' }).data?.filter.country).toBe('DE');
    expect(parse({ scheme: 'Visa' }).data?.filter.scheme).toBe('visa');
  });
});
