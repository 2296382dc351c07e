// Migration 250: a stored text holds its source's code instead of the source. A database written
// before it (whole texts, and texts without the columns but with their source) reads the same
// read-only before it migrates and after, without a row of event_log rewritten; ingest then goes
// on coded and its events read back as sent, through every reader. A batch that rolls back takes
// the codes it created with it.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asBefore, incoming, sentEvents } from '../../../test/support/storedTextKit';
import { tempDir } from '../../../test/support/tempDir';
import { withSourceText } from '../../../shared/events/storedEnvelope';
import { EventWriter } from './eventWriter';
import { MIGRATIONS, NEWEST_VERSION, migrate } from './migrate';
import { openStore, storeOn, type ReadStore } from './store';

const dir = tempDir('payops-m250-');
const ALL_TIME = [Date.UTC(1900, 0, 1), Date.UTC(2100, 0, 1)] as const;

type Sent = Record<string, unknown>;
const byIdOf = (sent: Sent[]) => new Map(sent.map((ce) => [ce.id as string, ce]));

/** Every explorer row, newest first. */
function explorerRows(store: ReadStore) {
  const rows = [];
  for (let page = store.eventPages.page({ order: 'desc', limit: 500 }); ; page = store.eventPages.page({ order: 'desc', limit: 500, cursor: page.nextCursor })) {
    rows.push(...page.rows);
    if (!page.nextCursor) return rows;
  }
}

/** What every reader gives for the stored events: explorer rows, details' whole text, id search, report samples. */
function answers(store: ReadStore, ids: string[]) {
  const rows = explorerRows(store);
  return {
    rows,
    details: rows.map((r) => store.events.get(r.seq)!.json),
    search: ids.map((id) => store.eventPages.page({ filter: { search: id }, limit: 10 }).rows.map((r) => [r.seq, r.source, r.id])),
    samples: store.reports.newest(ALL_TIME[0], ALL_TIME[1], 40).map((s) => s.json),
  };
}

const viewRows = (db: Database.Database) => db.prepare('SELECT * FROM events ORDER BY seq').all() as { seq: number; source: string; id: string; json: string }[];
const storedTexts = (db: Database.Database) => db.prepare('SELECT seq, json FROM event_log ORDER BY seq').all();
const sourceTable = (db: Database.Database) => db.prepare('SELECT * FROM event_sources ORDER BY source').all();

/** Every stored event reads back as the event that was sent: details, explorer rows, the `events` view, id search. */
function expectReadBackAsSent(db: Database.Database, store: ReadStore, sent: Sent[]): void {
  const byId = byIdOf(sent);
  const rows = explorerRows(store).filter((r) => byId.has(r.id));
  expect(rows).toHaveLength(sent.length);
  for (const r of rows) {
    const want = byId.get(r.id)!;
    expect(r.source).toBe(want.source);
    expect(JSON.parse(store.events.get(r.seq)!.json)).toEqual(want);
  }
  for (const v of viewRows(db).filter((v) => byId.has(v.id))) {
    expect(v.source).toBe(byId.get(v.id)!.source);
    expect(JSON.parse(v.json)).toEqual(byId.get(v.id));
  }
  // The explorer's id search hashes the id with each source it knows (re-read every 5 s: a source
  // new since is found by seqsOfId when asked for).
  const known = new Set(store.eventPages.knownSources());
  for (const ce of sent.filter((_, i) => i % 25 === 0 || i === sent.length - 1)) {
    expect(store.events.seqsOfId([...new Set([...known, ce.source as string])], ce.id as string)).toHaveLength(1);
    if (!known.has(ce.source as string)) continue;
    const found = store.eventPages.page({ filter: { search: ce.id as string }, limit: 10 }).rows.filter((r) => r.id === ce.id);
    expect(found.map((r) => r.source)).toEqual([ce.source]);
  }
}

describe('migration 250: CloudEvent sources stored once, as codes', () => {
  it('a database written before reads the same read-only and after migrating, and ingest goes on coded', () => {
    const file = path.join(dir, 'm250.db');
    const sent = sentEvents();
    const ids = sent.filter((_, i) => i % 37 === 0).map((ce) => ce.id as string);

    // Before 250: half stored whole (before 210), half by today's writer into a schema before 250.
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.filter((m) => m.version < 250));
    old.pragma('user_version = 240');
    new EventWriter(old).commit(sent.filter((_, i) => i % 2 === 0).map((ce, i) => asBefore(incoming(ce, 1000 + i))));
    new EventWriter(old).commit(sent.filter((_, i) => i % 2 === 1).map((ce, i) => incoming(ce, 5000 + i)));
    // Today's writer put the source back in the text: no reader of this schema sees a code.
    expect(old.prepare(`SELECT COUNT(*) FROM event_log WHERE (json ->> '$."~"') & 8 OR json ->> '$.source' IS NULL`).pluck().get()).toBe(0);
    expectReadBackAsSent(old, storeOn(old), sent);
    const textsBefore = storedTexts(old);
    const viewBefore = viewRows(old);
    const sourcesBefore = (old.prepare('SELECT source FROM event_sources ORDER BY source').pluck().all() as string[]);
    expect(sourcesBefore).toEqual([...new Set(sent.map((ce) => ce.source as string))].sort());
    old.close();

    const readOnly = new Database(file, { readonly: true });
    const want = answers(storeOn(readOnly), ids);
    readOnly.close();

    const store = openStore(file);
    const db = new Database(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(NEWEST_VERSION);
      // The table keeps its sources, each with a code from 1; no stored text is rewritten.
      expect(db.prepare('SELECT source FROM event_sources ORDER BY source').pluck().all()).toEqual(sourcesBefore);
      expect(db.prepare('SELECT code FROM event_sources ORDER BY code').pluck().all()).toEqual(sourcesBefore.map((_, i) => i + 1));
      expect(storedTexts(db)).toEqual(textsBefore);
      expect(answers(store, ids)).toEqual(want);
      expect(viewRows(db)).toEqual(viewBefore);

      // Ingest goes on coded, a new source among the events.
      const after: Sent[] = sent.map((ce) => ({ ...ce, id: `${String(ce.id)}.after` }));
      after.push({ ...after[0], id: 'new-source-1', source: 'psp/after-250' });
      store.ingest.commit(after.map((ce, i) => incoming(ce, 9000 + i)));
      const byId = byIdOf(after);
      const code = db.prepare('SELECT code FROM event_sources WHERE source = ?').pluck();
      const coded = db.prepare(`SELECT json ->> '$.id' AS id, json FROM event_log WHERE json ->> '$.id' IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...byId.keys()])) as { id: string; json: string }[];
      expect(coded).toHaveLength(after.length);
      for (const r of coded) {
        const text = JSON.parse(r.json) as Record<string, unknown>;
        expect(text).not.toHaveProperty('source');
        const flags = text['~'] as number;
        expect(flags & 8).toBe(8);
        expect(flags >> 4).toBe(code.get(byId.get(r.id)!.source));
      }
      expect(code.get('psp/after-250')).toBe(sourcesBefore.length + 1);
      expectReadBackAsSent(db, store, [...sent, ...after]);
      // Rows stored before read as they did.
      expect(want.rows.map((r) => store.events.get(r.seq)!.json)).toEqual(want.details);

      // Each coded text is the text the writer stored before 250 for the same event, without its
      // source: PaySim's are about 23 bytes shorter.
      const before = new Map((textsBefore as { json: string }[]).map((r) => [(JSON.parse(r.json) as { id: string }).id, r.json]));
      const saved: number[] = [];
      for (const r of coded) {
        const old = before.get(r.id.replace(/\.after$/, ''));
        if (old === undefined || !old.includes('"~":')) continue; // stored whole, or the new source's
        const ce = byId.get(r.id)!;
        expect(withSourceText(r.json, ce.source as string).replace(`"id":${JSON.stringify(r.id)}`, `"id":${JSON.stringify(r.id.replace(/\.after$/, ''))}`)).toBe(old);
        if (r.id.length > 36) saved.push(old.length - (r.json.length - '.after'.length));
      }
      expect(saved.length).toBeGreaterThan(100);
      expect(saved.reduce((a, b) => a + b, 0) / saved.length).toBeGreaterThan(20);
    } finally {
      db.close();
      store.close();
    }

    // Rewound (user_version 240 on the coded form): the migration finds it done and changes nothing.
    const rewound = new Database(file);
    const texts = storedTexts(rewound);
    const sources = sourceTable(rewound);
    rewound.pragma('user_version = 240');
    rewound.close();
    const again = openStore(file);
    const check = new Database(file, { readonly: true });
    try {
      expect(sourceTable(check)).toEqual(sources);
      expect(storedTexts(check)).toEqual(texts);
      expectReadBackAsSent(check, again, sent);
    } finally {
      check.close();
      again.close();
    }
  }, 60_000);

  it('a batch that rolls back takes its new source codes with it: no event reads as another source', () => {
    const file = path.join(dir, 'rollback.db');
    const store = openStore(file);
    const db = new Database(file);
    try {
      const [base] = sentEvents();
      const message = (source: string, n: number) => incoming({ ...base, id: `rb-${n}`, source }, 1_800_000_000_000 + n);
      store.ingest.commit([message('psp/first', 0)]);
      // A trigger another connection adds makes the batch's transaction fail at its per-second
      // rollups, after its event has coded its new source.
      db.exec("CREATE TRIGGER fail_once BEFORE INSERT ON rollup_second_coded BEGIN SELECT RAISE(ABORT, 'refused'); END");
      expect(() => store.ingest.commit([message('psp/rolled-back', 1)])).toThrow(/refused/);
      expect(db.prepare('SELECT source FROM event_sources ORDER BY code').pluck().all()).toEqual(['psp/first']);
      db.exec('DROP TRIGGER fail_once');
      // Another new source is given the number the rolled-back one had; the retry gets the next.
      store.ingest.commit([message('psp/second', 2)]);
      store.ingest.commit([message('psp/rolled-back', 1)]);
      expect(db.prepare('SELECT code, source FROM event_sources ORDER BY code').all()).toEqual([
        { code: 1, source: 'psp/first' },
        { code: 2, source: 'psp/second' },
        { code: 3, source: 'psp/rolled-back' },
      ]);
      const want = [
        { ...base, id: 'rb-0', source: 'psp/first' },
        { ...base, id: 'rb-2', source: 'psp/second' },
        { ...base, id: 'rb-1', source: 'psp/rolled-back' },
      ];
      expectReadBackAsSent(db, store, want);
      expect(store.events.seqsOfId(['psp/rolled-back', 'psp/second'], 'rb-1')).toHaveLength(1);
      expect(store.events.seqsOfId(['psp/second'], 'rb-1')).toEqual([]);
    } finally {
      db.close();
      store.close();
    }
  });
});
