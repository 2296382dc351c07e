// bench:replay ceiling (a), the physical one: read a capture, JSON.parse each line and insert
// it into the bare store (bench/bareStore.ts: ONE table, the identity key and one time index),
// in 10,000-row transactions, synchronous NORMAL as a replay session writes.
// No validation, no other column or index, no rollups, counters or metrics: what any store
// of these events must at least do.
// Usage: node dist/bench/bareReplay.js CAPTURE DB ; prints {"events","ms",...} on stdout.
import fs from 'node:fs';
import { bareRow, openBareStore, type BareRow } from './bareStore';

async function main(): Promise<void> {
  const [file, dbFile] = process.argv.slice(2);
  const started = performance.now();
  const store = openBareStore(dbFile, { synchronous: 'NORMAL', cacheKb: 65536 });
  let rows: BareRow[] = [];
  let count = 0;
  let rest = '';
  const onLine = (line: string) => {
    if (line.length === 0) return;
    rows.push(bareRow(line));
    if (rows.length === 10_000) {
      store.commit(rows);
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
    store.commit(rows);
    count += rows.length;
  }
  const ms = performance.now() - started;
  const bytes = store.bytes();
  store.close();
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({ events: count, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssBytes: process.resourceUsage().maxRSS * 1024, bytes })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bareReplay: ${(err as Error).message}\n`);
  process.exit(1);
});
