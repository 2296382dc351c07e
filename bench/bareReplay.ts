// bench:replay ceiling (a), the physical one: read a capture, JSON.parse each line and insert
// it into ONE table holding the identity key (the same 53-bit (source, id) hash payops uses,
// unique) and one time index, in 10,000-row transactions, with a replay session's pragmas.
// No validation, no other column or index, no rollups, counters or metrics: what any store
// of these events must at least do.
// Usage: node dist/bench/bareReplay.js CAPTURE DB ; prints {"events","ms",...} on stdout.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { eventIdentity } from '../electron/core/store/eventIdentity';

interface Ev {
  id: string;
  source: string;
  type: string;
  time?: string;
}

async function main(): Promise<void> {
  const [file, dbFile] = process.argv.slice(2);
  const started = performance.now();
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 4000');
  db.exec(`CREATE TABLE bare_events (seq INTEGER PRIMARY KEY, ident INTEGER NOT NULL, time_ms INTEGER NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL);
    CREATE UNIQUE INDEX bare_events_identity ON bare_events(ident);
    CREATE INDEX bare_events_time ON bare_events(time_ms);`);
  const insert = db.prepare('INSERT INTO bare_events (ident, time_ms, type, json) VALUES (?, ?, ?, ?) ON CONFLICT (ident) DO NOTHING');
  let rows: unknown[][] = [];
  const commit = db.transaction((batch: unknown[][]) => {
    for (const r of batch) insert.run(r);
  });
  let count = 0;
  let rest = '';
  const onLine = (line: string) => {
    if (line.length === 0) return;
    const e = JSON.parse(line) as Ev;
    rows.push([eventIdentity(e.source, e.id), Date.parse(e.time ?? ''), e.type, line]);
    if (rows.length === 10_000) {
      commit(rows);
      count += rows.length;
      rows = [];
    }
  };
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop()!;
    for (const p of parts) onLine(p);
  }
  onLine(rest);
  if (rows.length) {
    commit(rows);
    count += rows.length;
  }
  const ms = performance.now() - started;
  const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
  const bytes = pages * (db.pragma('page_size', { simple: true }) as number);
  db.close();
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({ events: count, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssBytes: process.resourceUsage().maxRSS * 1024, bytes })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bareReplay: ${(err as Error).message}\n`);
  process.exit(1);
});
