// bench:replay ceiling (a): read a capture, JSON.parse each line and bulk-insert the events
// with better-sqlite3 in 10,000-row transactions into the same table shape (same schema and
// pragmas as a replay session), with no validation, rollups, counters or metrics.
// Usage: node dist/bench/bareReplay.js CAPTURE DB ; prints {"events","ms"} on stdout.
import fs from 'node:fs';
import { openDatabase } from '../electron/core/store/database';

interface Ev {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time?: string;
  subject?: string;
  data?: Record<string, unknown>;
}

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);

async function main(): Promise<void> {
  const [file, dbFile] = process.argv.slice(2);
  const started = performance.now();
  const db = openDatabase(dbFile, { durability: 'normal' });
  const insert = db.prepare(
    `INSERT OR IGNORE INTO events (source, id, type, category, time_ms, arrival_ms, subject, payment_id,
       merchant_id, amount, currency, country, method, card_bin, latency_ms, decline_code, score, decision,
       routing_key, json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let rows: unknown[][] = [];
  const commit = db.transaction((batch: unknown[][]) => {
    for (const r of batch) insert.run(r);
  });
  let count = 0;
  let rest = '';
  const onLine = (line: string) => {
    if (line.length === 0) return;
    const e = JSON.parse(line) as Ev;
    const d = e.data ?? {};
    const t = Date.parse(e.time ?? '');
    rows.push([
      e.source, e.id, e.type, e.type.startsWith('risk.') ? 'risk' : 'payment', t, t, s(e.subject), s(d.paymentId),
      s(d.merchantId), n(d.amount), s(d.currency), s(d.country), s(d.method), s(d.cardBin), n(d.latencyMs), s(d.declineCode),
      n(d.score), s(d.decision), e.type, line,
    ]);
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
  db.close();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ events: count, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

main().catch((err) => {
  process.stderr.write(`bareReplay: ${(err as Error).message}\n`);
  process.exit(1);
});
