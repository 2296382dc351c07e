// What the tests of the payment id filter kept on disk (electron/core/store/paymentIdHashes.ts)
// share with the child process they kill: authorization attempts to store through the real
// decoder and writer, and the checks of the rows against the events.
import type { Database } from 'better-sqlite3';
import { PaymentIdFilter, paymentIdHash } from '../../electron/core/store/paymentIdFilter';
import { PaymentIdHashes } from '../../electron/core/store/paymentIdHashes';
import { PAYMENT_INDEX_PART_SEQS } from '../../electron/core/store/paymentIndex';
import { StatementCache } from '../../electron/core/store/statementCache';
import type { Sent } from './storeSent';

export const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);

/** An event of `paymentId` at `t` (an attempt says nothing of which attempt it is). */
export function paymentEventOf(id: string, type: string, t: number, paymentId: string): Sent {
  return {
    event: { specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(t).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 1, currency: 'EUR' } },
    arrivalMs: t,
  };
}

/** `n` attempts named `prefix`-i, a new payment every second event (its retry the next), 100 ms apart from `fromMs`. */
export function newPayments(prefix: string, n: number, fromMs: number): Sent[] {
  return Array.from({ length: n }, (_, i) =>
    paymentEventOf(`${prefix}-${i}`, i % 2 === 0 ? 'payment.declined' : 'payment.authorized', fromMs + i * 100, `${prefix}-pay-${i >> 1}`),
  );
}

/** The stored payment ids whose partition has a row that lacks their hash (a false "not stored" to come). */
export function idsMissingFromRows(db: Database): string[] {
  const missing: string[] = [];
  const rows = db.prepare('SELECT part, hashes FROM payment_id_hashes').all() as { part: number; hashes: Buffer }[];
  for (const { part, hashes } of rows) {
    const held = new Set<number>();
    for (let at = 0; at < hashes.length; at += 8) held.add(hashes.readDoubleLE(at));
    const ids = db
      .prepare('SELECT DISTINCT payment_id FROM event_log WHERE seq >= ? AND seq < ? AND payment_id IS NOT NULL')
      .pluck()
      .all(part * PAYMENT_INDEX_PART_SEQS, (part + 1) * PAYMENT_INDEX_PART_SEQS) as string[];
    for (const id of ids) if (!held.has(paymentIdHash(id))) missing.push(id);
  }
  return missing;
}

/** The partitions with a row that the payment index has not sealed to their end (none may be). */
export function rowsOfUnsealedParts(db: Database): number[] {
  return db
    .prepare('SELECT part FROM payment_id_hashes WHERE (part + 1) * ? - 1 > (SELECT through_seq FROM event_payment_index_state) ORDER BY part')
    .pluck()
    .all(PAYMENT_INDEX_PART_SEQS) as number[];
}

/** The filter a writer opening `db` builds, and the stored payment ids it says were never stored. */
export function filterAfterOpen(db: Database): { filter: PaymentIdFilter; notHeld: string[] } {
  const filter = new PaymentIdFilter();
  const hashes = PaymentIdHashes.of(new StatementCache(db));
  if (!hashes) throw new Error('no payment index');
  db.transaction(() => hashes.fill(filter))();
  const ids = db.prepare('SELECT DISTINCT payment_id FROM event_log WHERE payment_id IS NOT NULL').pluck().all() as string[];
  return { filter, notHeld: ids.filter((id) => !filter.mayHold(id)) };
}

/** The partitions that have a row. */
export function hashedParts(db: Database): number[] {
  return db.prepare('SELECT part FROM payment_id_hashes ORDER BY part').pluck().all() as number[];
}
