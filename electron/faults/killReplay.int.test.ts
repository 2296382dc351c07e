// Repeated SIGKILL of the engine during a replay: `payops replay CAPTURE --db FILE --speed max`
// is killed at random moments and run again (--append) into the same database until one run
// completes. The stored set must equal the capture's events, each exactly once, and the
// per-second rollups (written in the same transactions) must agree with the events.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { mulberry32 } from '../core/sim/prng';
import { collectOutput, paddedEvents, sleep, storedCount, waitFor } from '../../test/support/faultKit';

const dir = tempDir('payops-killreplay-');

/** Messages committed so far over all runs: stored events plus counted duplicates. */
function processed(dbFile: string): number {
  if (!fs.existsSync(dbFile)) return 0;
  const db = new Database(dbFile, { readonly: true });
  try {
    const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const dups = (db.prepare(`SELECT value FROM counters WHERE name = 'duplicates'`).get() as { value: number } | undefined)?.value ?? 0;
    return events + dups;
  } catch {
    return 0; // created, not yet migrated
  } finally {
    db.close();
  }
}

function rollupTypeCounts(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = db.prepare(`SELECT key, SUM(count) AS n FROM rollup_second WHERE dim = 'type' GROUP BY key`).all() as { key: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  } finally {
    db.close();
  }
}

function eventTypeCounts(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type').all() as { type: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  } finally {
    db.close();
  }
}

/** The payment index (migration 260) against the events it indexes. */
function paymentIndexGaps(dbFile: string): { deferred: number; tail: number; indexed: number; missing: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT deferred, (SELECT MAX(seq) FROM event_log) - through_seq AS tail,
           (SELECT COUNT(*) FROM event_payment_index) AS indexed,
           (SELECT COUNT(*) FROM event_log e WHERE payment_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM event_payment_index i WHERE i.part = e.seq >> 16 AND i.payment_id = e.payment_id AND i.seq = e.seq)) AS missing
         FROM event_payment_index_state`,
      )
      .get() as { deferred: number; tail: number; indexed: number; missing: number };
  } finally {
    db.close();
  }
}

/** The merchant (migration 280) and identity (270) indexes against the events they index. */
function otherIndexGaps(dbFile: string): { merchant: unknown; identity: unknown } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const merchant = db
      .prepare(
        `SELECT deferred, (SELECT MAX(seq) FROM event_log) - through_seq AS tail,
           (SELECT COUNT(*) FROM event_merchant_index) - (SELECT COUNT(*) FROM event_log WHERE merchant_id IS NOT NULL) AS surplus,
           (SELECT COUNT(*) FROM event_log e WHERE merchant_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM event_merchant_index i WHERE i.merchant_id = e.merchant_id AND i.time_ms = e.time_ms AND i.seq = e.seq)) AS missing
         FROM event_merchant_index_state`,
      )
      .get();
    // The identity index's tail is whatever the last run left under its seal size: only what is
    // up to the mark must be indexed, once.
    const identity = db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM event_identity_index) - (SELECT COUNT(*) FROM event_log WHERE ident IS NOT NULL AND seq <= through_seq) AS surplus,
           (SELECT COUNT(*) FROM event_log e WHERE ident IS NOT NULL AND seq <= through_seq
              AND NOT EXISTS (SELECT 1 FROM event_identity_index i WHERE i.ident = e.ident AND i.seq = e.seq)) AS missing
         FROM event_identity_index_state`,
      )
      .get();
    return { merchant, identity };
  } finally {
    db.close();
  }
}

function paymentEvents(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM event_log WHERE payment_id IS NOT NULL').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('replay killed with SIGKILL at random moments', () => {
  it('stores the capture exactly once after repeated kills and a final complete run', async () => {
    const seed = Number(process.env.PAYOPS_KILL_SEED ?? Date.now() % 100000);
    const random = mulberry32(seed);
    const total = process.env.PAYOPS_LONG ? 400_000 : 60_000;
    const events = paddedEvents(total, 20);
    const capture = path.join(dir, 'capture.ndjson');
    fs.writeFileSync(capture, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const db = path.join(dir, 'replay.db');
    // Small batches: many commits, so the kills land between and inside transactions.
    const args = ['replay', capture, '--db', db, '--speed', 'max', '--append', '--batch-size', '2000', '--flush-ms', '50'];

    const progress: number[] = [];
    let kills = 0;
    for (; kills < (process.env.PAYOPS_LONG ? 12 : 5); kills++) {
      const startedAt = processed(db);
      const child = startPayops(args);
      const out = collectOutput(child);
      // Kill once this run has committed something, at a random moment after that (whatever
      // the machine's speed, the kill lands mid-replay, between or inside transactions).
      await waitFor(() => processed(db) > startedAt || child.exitCode !== null, 60_000, 'the replay to commit', 20);
      await sleep(random() * 800);
      child.kill('SIGKILL');
      const code = await out.exit;
      progress.push(storedCount(db));
      // A run that finished before its kill is fine; anything else must be the kill.
      if (code !== null && code !== 0) throw new Error(`replay exited ${code}: ${out.stderr()}`);
    }
    // The kills landed mid-replay, not only before the first commit or after the last.
    expect(progress.some((n) => n > 0 && n < total), `stored after each kill: ${progress.join(', ')} (seed ${seed})`).toBe(true);

    const final = await runPayops([...args, '--json'], {}, 120_000);
    expect(final.code, final.stderr).toBe(0);
    const summary = lastJson<{ events: number; complete: boolean; linesRead: number }>(final.stdout);
    expect(summary).toMatchObject({ events: total, complete: true, linesRead: total });

    const stored = storedIdentities(db);
    expect({ seed, kills, total: stored.total, distinct: stored.distinct }).toEqual({ seed, kills, total, distinct: total });
    for (const e of events) if (!stored.ids.has(`${e.source}|${e.id}`)) throw new Error(`lost ${e.source}|${e.id} (seed ${seed})`);
    // Rollups were committed with their events: a killed transaction left neither behind.
    expect(rollupTypeCounts(db)).toEqual(eventTypeCounts(db));
    // The killed runs left the payment and merchant indexes' seals deferred; the complete run
    // caught them up: every stored payment event is indexed, none twice, none missing. The
    // identity index holds exactly the events up to its mark.
    expect(paymentIndexGaps(db)).toEqual({ deferred: 0, tail: 0, indexed: paymentEvents(db), missing: 0 });
    expect(otherIndexGaps(db)).toEqual({ merchant: { deferred: 0, tail: 0, surplus: 0, missing: 0 }, identity: { surplus: 0, missing: 0 } });
  }, 180_000);
});
