import type { Database } from 'better-sqlite3';
import { floorDivSql } from '../stepStart';
import { eventsViewSql } from './120_event_log';

// From here on, event_log.json holds the CloudEvent without what the row's columns hold
// (shared/events/storedEnvelope.ts: about 240 bytes less per PaySim-derived event). Rows
// stored before keep their whole text and read as before; nothing is rewritten. The `events`
// view puts the left-out fields back, so SQL readers of the view still see the whole event
// (restored fields at the end of their objects). The flag bits are storedEnvelope's:
// 1 subject is the payment id, 2 datacontenttype is application/json, 4 time is time_ms.
export const STORED_FLAGS = `(json ->> '$."~"')`;
const NONE = `'$."~"'`; // json_insert never overwrites: a path that exists inserts nothing

/** Inserts `value` at `path` when `when` holds. */
export const insertIf = (when: string, path: string, value: string) => `CASE WHEN ${when} THEN '${path}' ELSE ${NONE} END, ${value}`;

const DATA_COLUMNS: [field: string, column: string][] = [
  ['paymentId', 'payment_id'], ['merchantId', 'merchant_id'], ['amount', 'amount'], ['currency', 'currency'], ['country', 'country'],
  ['cardBin', 'card_bin'], ['declineCode', 'decline_code'], ['score', 'score'], ['decision', 'decision'],
];

/**
 * time_ms as toISOString spells it. The second and the millisecond in it by floor arithmetic:
 * SQLite's `/` and `%` round toward zero, and -1500 came out as 23:59:59.-500 (not 23:59:58.500).
 */
const ISO_TIME = `strftime('%Y-%m-%dT%H:%M:%S', ${floorDivSql('time_ms', 1000)}, 'unixepoch') || printf('.%03dZ', ((time_ms % 1000) + 1000) % 1000)`;

/** The whole text the view gives: `json` with what the stored form left out put back (`more`: what later forms leave out). */
export const restoredJsonSql = (more: string[] = []) => `CASE WHEN ${STORED_FLAGS} IS NULL THEN json ELSE json_remove(json_insert(json,
    '$.specversion', '1.0', ${more.map((m) => `${m},`).join(' ')}'$.type', type,
    ${insertIf(`${STORED_FLAGS} & 4`, '$.time', ISO_TIME)},
    ${insertIf(`${STORED_FLAGS} & 1`, '$.subject', 'payment_id')},
    ${insertIf(`${STORED_FLAGS} & 2`, '$.datacontenttype', "'application/json'")},
    ${DATA_COLUMNS.map(([field, column]) => insertIf(`${column} IS NOT NULL`, `$.data.${field}`, column)).join(',\n    ')}
  ), '$."~"') END`;

export const RESTORED_SUBJECT = `COALESCE(json ->> '$.subject', CASE WHEN ${STORED_FLAGS} & 1 THEN payment_id END)`;

export const migration210 = {
  version: 210,
  name: 'stored CloudEvent text without the columns it duplicates',
  up(db: Database): void {
    db.exec(`DROP VIEW events; ${eventsViewSql({ subject: RESTORED_SUBJECT, json: restoredJsonSql() })}`);
  },
};
