// A writer process for the kill tests of the payment id filter kept on disk
// (electron/core/store/paymentIdHashes.ts): stores EVENTS attempts of new payments named PREFIX
// into DB, 500 a batch, the payment index sealed every 1,000 events, and prints "committed N"
// after each batch. MODE "row": kills itself (SIGKILL: nothing after it runs, the transaction
// never commits) inside the first batch's transaction that has written a row of
// payment_id_hashes, after the row and before the commit. MODE "run": runs to the end (the test
// kills it at a moment of its own) and exits 0. Run with tsx:
//   node --require tsx/cjs test/support/paymentIdHashesChild.ts DB PREFIX EVENTS FROM_MS MODE
import { openDatabase } from '../../electron/core/store/database';
import { EventWriter } from '../../electron/core/store/eventWriter';
import { newPayments } from './paymentIdHashesKit';
import { storeInArrivalOrder } from './storeSent';

const [dbFile, prefix, events, fromMs, mode] = process.argv.slice(2);
const db = openDatabase(dbFile);
const writer = new EventWriter(db, undefined, { paymentIndexSealRows: 1_000 });
const rows = db.prepare('SELECT COUNT(*) FROM payment_id_hashes').pluck();
let rowsBefore = rows.get() as number;
if (mode === 'row') {
  writer.also(() => {
    if ((rows.get() as number) > rowsBefore) process.kill(process.pid, 'SIGKILL');
  });
}
const sent = newPayments(prefix, Number(events), Number(fromMs));
for (let i = 0; i < sent.length; i += 500) {
  rowsBefore = rows.get() as number;
  storeInArrivalOrder(db, sent.slice(i, i + 500), 500, writer);
  process.stdout.write(`committed ${Math.min(i + 500, sent.length)}\n`);
}
db.close();
