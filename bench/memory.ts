// bench:memory — RSS of `payops collect` stays flat: the RSS after 1,000,000 stored events
// is within 20 % of the RSS after 100,000 (one process: the worker thread is included).
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AMQP_URL, PAYOPS_BIN, cleanup, fmt, prefill, realisticBodies } from './benchSupport';

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function storedCount(dbFile: string): number {
  if (!fs.existsSync(dbFile)) return 0;
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT MAX(seq) AS n FROM events').get() as { n: number | null }).n ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const early = Math.round(total / 10);
  const queue = `bench.mem.${randomUUID().slice(0, 8)}`;
  console.log(`bench:memory: pre-filling ${fmt(total)} events`);
  // Publish in slices so the publisher itself stays small.
  let exchange = '';
  for (let done = 0; done < total; done += 100_000) {
    exchange = await prefill([queue], realisticBodies(Math.min(100_000, total - done)), exchange || undefined);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-mem-'));
  const dbFile = path.join(dir, 'mem.db');
  const child = spawn(process.execPath, [PAYOPS_BIN, 'collect', '--amqp', AMQP_URL, '--db', dbFile, '--exchange', exchange,
    '--bind', '#', '--queue', queue, '--drain', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let rssEarly: number | null = null;
  // The last sample before the process ended: the drain's last stretch can fall between two
  // samples, so "late" is the newest sample, and it must be near the end to count.
  let late = { rss: 0, stored: 0 };
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const rss = rssKb(child.pid!);
      peak = Math.max(peak, rss);
      const n = storedCount(dbFile);
      if (rssEarly === null && n >= early) rssEarly = rss;
      if (n >= late.stored) late = { rss, stored: n };
    } catch {
      /* the process ended between samples */
    }
  }, 250);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const stored = storedCount(dbFile);
  await cleanup(exchange, [queue]);
  fs.rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || rssEarly === null) throw new Error(`collect exited ${code}; stored ${stored}`);
  if (late.stored < total * 0.9) throw new Error(`no RSS sample after ${fmt(late.stored)} of ${fmt(total)} events: nothing to compare`);
  const rssLate = late.rss;
  const growth = rssLate / rssEarly - 1;
  console.log(`stored ${fmt(stored)} events; RSS after ${fmt(early)}: ${fmt(rssEarly / 1024)} MB; after ${fmt(late.stored)}: ${fmt(rssLate / 1024)} MB; peak ${fmt(peak / 1024)} MB`);
  console.log(`growth ${(growth * 100).toFixed(1)} % (goal: no more than +20 %) -> ${growth <= 0.2 ? 'PASS' : 'FAIL'}`);
}

main().catch((err) => {
  console.error(`bench:memory failed: ${(err as Error).message}`);
  process.exit(1);
});
