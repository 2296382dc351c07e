// Cost of migration 115 (issue 11): rebuilding the 'decision' rollups from the risk.scored
// events, on the query benchmark's database (BENCH_QUERY_EVENTS, default 1,000,000). Each run
// is inside a transaction that is rolled back, so the database is left as it was.
//   npm run build:core && node dist/bench/decisionsMigration.js
import os from 'node:os';
import Database from 'better-sqlite3';
import { migration115 } from '../electron/core/store/migrations/115_scored_decisions';
import { formatInteger } from '../shared/format';
import { ensureBenchData } from './queryData';

const EVENTS = Number(process.env.BENCH_QUERY_EVENTS ?? 1_000_000);
const RUNS = 5;

function main(): void {
  const info = ensureBenchData(EVENTS, (line) => process.stderr.write(`${line}\n`));
  const db = new Database(info.file);
  try {
    const scored = (db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'risk.scored'").get() as { n: number }).n;
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      db.exec('BEGIN');
      const t0 = performance.now();
      migration115.up(db);
      runs.push(Math.round(performance.now() - t0));
      db.exec('ROLLBACK');
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const load = os.loadavg().map((l) => l.toFixed(2));
    process.stdout.write(`migration 115 on ${formatInteger(EVENTS)} events (${formatInteger(scored)} risk.scored): median ${sorted[RUNS >> 1]} ms, runs ${runs.join(' / ')} ms, load ${load.join(' ')}\n`);
    process.stdout.write(`${JSON.stringify({ events: EVENTS, scored, medianMs: sorted[RUNS >> 1], runsMs: runs, load })}\n`);
  } finally {
    db.close();
  }
}

main();
