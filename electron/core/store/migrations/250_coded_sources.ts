import type { Database } from 'better-sqlite3';
import { eventsViewSql } from './120_event_log';
import { RESTORED_SUBJECT, STORED_FLAGS, insertIf, restoredJsonSql } from './210_stored_envelope';

// A stored CloudEvent text repeated its `source` ("source":"psp/gateway", about 23 of 124 bytes
// on PaySim-derived events), though a database sees a handful of sources. From here each source
// is stored once, in event_sources with an integer code, and a text holds the code in its mark
// (shared/events/storedEnvelope.ts: flag 8, code = flags >> 4). Rows stored before keep their
// source in the text and read as before; nothing in event_log is rewritten. The `events` view
// puts the source back for coded rows. Readers of `SELECT source FROM event_sources` read as before.
// Codes are rowids from 1 (a text's code 0 means "not given yet" and is never stored), never
// reused: nothing deletes from event_sources.

const SOURCE_OF_CODE = `(SELECT source FROM event_sources WHERE code = ${STORED_FLAGS} >> 4)`;
const RESTORED_SOURCE = `CASE WHEN ${STORED_FLAGS} & 8 THEN ${SOURCE_OF_CODE} ELSE json ->> '$.source' END`;

/** The `events` view from 250 on: the stored text with its source (coded or not), subject and time put back (migration 362 builds it again). */
export const CODED_EVENTS_VIEW = eventsViewSql({
  source: RESTORED_SOURCE,
  subject: RESTORED_SUBJECT,
  json: restoredJsonSql([insertIf(`${STORED_FLAGS} & 8`, '$.source', SOURCE_OF_CODE)]),
});

export const migration250 = {
  version: 250,
  name: 'CloudEvent sources stored once, as codes',
  up(db: Database): void {
    db.exec('DROP VIEW events');
    // Already coded when a test rewinds user_version.
    const coded = db.prepare("SELECT 1 FROM pragma_table_info('event_sources') WHERE name = 'code'").pluck().get() !== undefined;
    if (!coded) {
      db.exec(`
        CREATE TABLE event_sources_coded (code INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE);
        INSERT INTO event_sources_coded (source) SELECT source FROM event_sources ORDER BY source;
        DROP TABLE event_sources;
        ALTER TABLE event_sources_coded RENAME TO event_sources;
      `);
    }
    db.exec(CODED_EVENTS_VIEW);
  },
};
