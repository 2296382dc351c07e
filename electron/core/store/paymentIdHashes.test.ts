// The writer's filter of the payment ids stored, kept on disk per partition of the payment index
// (paymentIdHashes.ts, migration 382): a writer opening the file builds it from the rows, not
// from every id of the index, and it never says "not stored" of an id that is stored: after a
// restart, after a process killed inside the transaction that writes a row or at any moment,
// after the newest events were deleted (their seqs given again), and on a file written before
// migration 382 (its rows written behind ingest). The per-payment figures after a restart in the
// middle of a payment's retries group the retry with its attempt read back through the rows.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectOutput, waitFor } from '../../../test/support/faultKit';
import { T0, paymentEventOf, filterAfterOpen, hashedParts, idsMissingFromRows, newPayments, rowsOfUnsealedParts } from '../../../test/support/paymentIdHashesKit';
import { distinctPayments, rolledUp, rollupDisagreements, storeInArrivalOrder, type Sent } from '../../../test/support/sqlFigures';
import { tempDir } from '../../../test/support/tempDir';
import { mulberry32 } from '../sim/prng';
import { openDatabase } from './database';
import { EventWriter } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import { PaymentIdHashes } from './paymentIdHashes';
import { PAYMENT_INDEX_PART_SEQS } from './paymentIndex';

const dir = tempDir('payops-payment-id-hashes-');
const CHILD = path.resolve(__dirname, '../../../test/support/paymentIdHashesChild.ts');
/** Events in the templates: a partition (65,536 seqs) less 136, so a test's events cross into the next. */
const FILLER = PAYMENT_INDEX_PART_SEQS - 136;
/** The templates' events end here (100 ms apart). */
const FILLER_END = T0 + FILLER * 100;
const BEFORE_382 = MIGRATIONS.filter((m) => m.version < 382);

let n = 0;
/** A copy of a template: FILLER attempts stored before migration 382 ('old') or after it ('new'). */
function copyOf(template: 'old' | 'new'): string {
  const file = path.join(dir, `run-${++n}.db`);
  fs.copyFileSync(path.join(dir, `${template}.db`), file);
  return file;
}

/**
 * Stores `sent` (in arrival order already) as storeInArrivalOrder does, 10,000 events at a time
 * with a turn of the event loop between, so the test runner's messages are not held up for the
 * half minute a partition's events take.
 */
async function storeMany(db: Db, sent: readonly Sent[], batch: number, writer: EventWriter): Promise<void> {
  for (let i = 0; i < sent.length; i += 10_000) {
    storeInArrivalOrder(db, sent.slice(i, i + 10_000), batch, writer);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Which partitions a build read from the index, not from their rows. */
function partsReadFromIndex(): { mock: { calls: number[][] } } {
  return vi.spyOn(PaymentIdHashes.prototype as unknown as { hashesOfPart(p: number): number[] }, 'hashesOfPart');
}

beforeAll(async () => {
  const old = new Database(path.join(dir, 'old.db'));
  migrate(old, BEFORE_382);
  await storeMany(old, newPayments('f', FILLER, T0), 5_000, new EventWriter(old));
  old.close();
  fs.copyFileSync(path.join(dir, 'old.db'), path.join(dir, 'new.db'));
  openDatabase(path.join(dir, 'new.db')).close(); // migrated to the newest version
}, 120_000);

afterEach(() => {
  vi.restoreAllMocks();
});

/** A file whose events (two partitions sealed to their end) were stored before migration 382, then migrated: no row yet. */
async function writtenBefore382(prefix: string): Promise<string> {
  const file = copyOf('old');
  const db = new Database(file);
  try {
    await storeMany(db, newPayments(prefix, 66_000, FILLER_END), 5_000, new EventWriter(db, undefined, { paymentIndexSealRows: 1_000 }));
    migrate(db, MIGRATIONS);
    expect(Math.floor(((db.prepare('SELECT through_seq FROM event_payment_index_state').pluck().get() as number) + 1) / PAYMENT_INDEX_PART_SEQS)).toBe(2);
    expect(hashedParts(db)).toEqual([]);
  } finally {
    db.close();
  }
  return file;
}

function expectRowsHoldEveryId(db: Db): void {
  expect(rowsOfUnsealedParts(db)).toEqual([]);
  expect(idsMissingFromRows(db)).toEqual([]);
  expect(filterAfterOpen(db).notHeld).toEqual([]);
}

describe('the payment id filter kept on disk', () => {
  it('after a restart is built from the rows of the sealed partitions, and holds every id stored', async () => {
    const file = copyOf('new');
    let db = openDatabase(file, { durability: 'normal' });
    // Sealed every 1,000 events: partitions 0 and 1 sealed to their end.
    await storeMany(db, newPayments('a', 66_000, FILLER_END), 2_000, new EventWriter(db, undefined, { paymentIndexSealRows: 1_000 }));
    const hashed = hashedParts(db);
    expect(hashed).toEqual([0, 1]);
    expectRowsHoldEveryId(db);
    db.close();
    db = openDatabase(file, { durability: 'normal' });
    const read = partsReadFromIndex();
    expect(filterAfterOpen(db).notHeld).toEqual([]);
    // Only the newest, not sealed to its end.
    expect(read.mock.calls.map((c) => c[0])).toEqual([2]);
    db.close();
  }, 120_000);

  it('after the newest events are deleted, their seqs given to new events: the rows of their partitions go and are written again; a row of bad bytes is read from the index', () => {
    const db = openDatabase(copyOf('new'), { durability: 'normal' });
    storeInArrivalOrder(db, newPayments('d', 10_000, FILLER_END), 1_000, new EventWriter(db, undefined, { paymentIndexSealRows: 1_000 }));
    expect(hashedParts(db)).toEqual([0]);
    db.prepare('DELETE FROM event_log WHERE seq > 60000').run();
    expect(hashedParts(db)).toEqual([]);
    // Seqs 60,001 on again: partition 0 holds these ids now.
    storeInArrivalOrder(db, newPayments('e', 10_000, FILLER_END + 3_600_000), 1_000, new EventWriter(db, undefined, { paymentIndexSealRows: 1_000 }));
    expect(hashedParts(db)).toEqual([0]);
    expectRowsHoldEveryId(db);
    // A row that is not whole hashes (bad bytes on disk): read from the index again and written anew.
    db.prepare("UPDATE payment_id_hashes SET hashes = x'00010203' WHERE part = 0").run();
    expect(filterAfterOpen(db).notHeld).toEqual([]);
    expect(db.prepare('SELECT length(hashes) % 8 FROM payment_id_hashes WHERE part = 0').pluck().get()).toBe(0);
    expectRowsHoldEveryId(db);
    db.close();
  }, 60_000);

  it('on a file written before migration 382: one row a batch behind ingest', async () => {
    const db = openDatabase(await writtenBefore382('m'), { durability: 'normal' });
    const writer = new EventWriter(db);
    // Captures (not attempts: the filter is not built for them), a batch each: a row each.
    const capture = (i: number) => paymentEventOf(`cap-${i}`, 'payment.captured', FILLER_END + 15_000_000 + i, `m-pay-${i}`);
    storeInArrivalOrder(db, [capture(0)], 1, writer);
    expect(hashedParts(db)).toEqual([0]);
    storeInArrivalOrder(db, [capture(1)], 1, writer);
    expect(hashedParts(db)).toEqual([0, 1]);
    expectRowsHoldEveryId(db);
    db.close();
  }, 120_000);

  it('on a file written before migration 382: the first build of the filter writes the rows it read from the index', async () => {
    const db = openDatabase(await writtenBefore382('w'), { durability: 'normal' });
    // A new payment hours later: the restarted writer builds its filter.
    storeInArrivalOrder(db, newPayments('w2', 1, FILLER_END + 15_000_000), 1, new EventWriter(db));
    expect(hashedParts(db)).toEqual([0, 1]);
    expectRowsHoldEveryId(db);
    db.close();
  }, 120_000);

  it('holds every payment id stored after a reopen, whatever the ids, batches, seals and restarts (property)', async () => {
    const draw = fc.record({
      payment: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }), fc.integer({ min: 0, max: 30 }).map((i) => `p-${i}`)),
      type: fc.constantFrom('payment.authorized' as const, 'payment.declined' as const, 'payment.failed' as const),
      gapMs: fc.integer({ min: 0, max: 600_000 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(draw, { minLength: 1, maxLength: 700 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(fc.integer({ min: 0, max: 699 }), { maxLength: 3 }),
        async (list, batch, sealRows, restarts) => {
          await new Promise((resolve) => setImmediate(resolve)); // the test runner's messages pass between runs
          run += 1;
          const file = copyOf('new');
          const db = openDatabase(file, { durability: 'normal' });
          try {
            let t = FILLER_END;
            const sent: Sent[] = list.map((d, i) => paymentEventOf(`prop-${run}-${i}`, d.type, (t += d.gapMs), d.payment));
            const cuts = [...new Set([0, ...restarts.filter((r) => r < sent.length), sent.length])].sort((a, b) => a - b);
            for (let i = 0; i + 1 < cuts.length; i++) storeInArrivalOrder(db, sent.slice(cuts[i], cuts[i + 1]), batch, new EventWriter(db, undefined, { paymentIndexSealRows: sealRows }));
          } finally {
            db.close();
          }
          const reopened = openDatabase(file, { durability: 'normal' });
          try {
            expectRowsHoldEveryId(reopened);
          } finally {
            reopened.close();
          }
          fs.rmSync(file);
        },
      ),
      { numRuns: process.env.PAYOPS_LONG ? 60 : 8, seed: 382 },
    );
  }, 240_000);
});

/** Runs the writer process; resolves how it ended and the events it said it committed. */
function runChild(file: string, prefix: string, events: number, fromMs: number, mode: 'row' | 'run', killAfter?: number): Promise<{ end: 'killed' | 'done'; committed: number }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CHILD, file, prefix, String(events), String(fromMs), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collectOutput(child);
  const committed = () => Math.max(0, ...[...out.stdout().matchAll(/committed (\d+)/g)].map((m) => Number(m[1])));
  return (async () => {
    if (killAfter !== undefined) {
      await waitFor(() => committed() >= killAfter || child.exitCode !== null, 60_000, `the writer to commit ${killAfter} events`, 5);
      child.kill('SIGKILL');
    }
    const code = await out.exit;
    if (child.signalCode === 'SIGKILL') return { end: 'killed' as const, committed: committed() };
    if (code !== 0) throw new Error(`the writer ended with ${code}:\n${out.stderr()}`);
    return { end: 'done' as const, committed: committed() };
  })();
}

const storedEvents = (db: Db) => db.prepare('SELECT COUNT(*) FROM event_log').pluck().get() as number;

describe('the payment id filter kept on disk, its writer killed (SIGKILL)', () => {
  it('inside the transaction that wrote a row: neither the row nor the batch is stored; the next run writes both', async () => {
    const file = copyOf('new');
    const killed = await runChild(file, 'k', 4_000, FILLER_END, 'row');
    expect(killed.end).toBe('killed');
    let db = openDatabase(file, { durability: 'normal' });
    expect(hashedParts(db)).toEqual([]);
    expect(storedEvents(db)).toBe(FILLER + killed.committed);
    expect(db.prepare('SELECT through_seq FROM event_payment_index_state').pluck().get()).toBeLessThan(PAYMENT_INDEX_PART_SEQS - 1);
    expectRowsHoldEveryId(db);
    db.close();
    expect((await runChild(file, 'k2', 4_000, FILLER_END + 400_000, 'run')).end).toBe('done');
    db = openDatabase(file, { durability: 'normal' });
    expect(hashedParts(db)).toEqual([0]);
    expectRowsHoldEveryId(db);
    db.close();
  }, 120_000);

  it('at random moments, run after run: no row of a partition not sealed, none that lacks an id of its partition', async () => {
    const file = copyOf('new');
    const random = mulberry32(382);
    let from = FILLER_END;
    for (let round = 0; round < 4; round++) {
      const { committed } = await runChild(file, `r${round}`, 3_000, from, 'run', Math.floor(random() * 2_500));
      from += 3_000 * 100;
      const db = openDatabase(file, { durability: 'normal' });
      try {
        expect(storedEvents(db)).toBeGreaterThanOrEqual(FILLER + committed);
        expectRowsHoldEveryId(db);
      } finally {
        db.close();
      }
    }
  }, 240_000);
});

describe('approval per attempt and per payment (issue 13 item 6) across a restart in the middle of a retry', () => {
  it('groups the retry after the restart with its attempt before, read back through the rows: one payment, approved at its start', async () => {
    const file = copyOf('new');
    let db = openDatabase(file, { durability: 'normal' });
    const declinedAt = FILLER_END + 1_000;
    storeInArrivalOrder(db, [paymentEventOf('retried-1', 'payment.declined', declinedAt, 'pay_retried')], 1, new EventWriter(db));
    // Two hours of other payments: the memory lets pay_retried go, and its partition is sealed.
    await storeMany(db, newPayments('b', 72_000, declinedAt + 1_000), 4_000, new EventWriter(db, undefined, { paymentIndexSealRows: 1_000 }));
    expect(hashedParts(db)).toContain(0);
    db.close();
    db = openDatabase(file, { durability: 'normal' });
    const read = partsReadFromIndex();
    const retryAt = declinedAt + 1_000 + 72_000 * 100 + 1_000;
    // The retry says nothing of being one (no `attempt`).
    const [out] = storeInArrivalOrder(db, [paymentEventOf('retried-2', 'payment.authorized', retryAt, 'pay_retried')], 1, new EventWriter(db));
    expect(read.mock.calls.map((c) => c[0])).not.toContain(0);
    // Approved, at the payment's first attempt's second; no second payment started.
    expect(out.payments).toEqual([{ sec: Math.floor(declinedAt / 1000), dim: 'payment', key: 'approved', count: 1, amount: 0 }]);
    expect(rollupDisagreements(db)).toEqual([]);
    expect(rolledUp(db)).toEqual(distinctPayments(db));
    // Per attempt: two attempts of pay_retried, one approved; per payment: one, approved.
    expect(db.prepare("SELECT COUNT(*) AS attempts, SUM(type = 'payment.authorized') AS approved FROM event_log WHERE payment_id = 'pay_retried'").get()).toEqual({ attempts: 2, approved: 1 });
    db.close();
  }, 120_000);
});
