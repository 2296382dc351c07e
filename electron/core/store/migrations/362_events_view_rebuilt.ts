import type { Database } from 'better-sqlite3';
import { CODED_EVENTS_VIEW } from './250_coded_sources';

// The `events` view restores an event's ISO time when the stored text left it out (a time before
// 1970, as the writer stored it before 04970b1). Migrations 210 and 250 spelled that time with
// SQLite's / and %, which round toward zero: -1500 ms read '1969-12-31T23:59:59.-500Z'. They were
// fixed (floorDivSql; 1a11f8d), but a database that had already run them keeps the view they
// built then. This builds the view again, as 250 builds it now. Nothing else changes: the view
// holds no data. Run again (a rewound user_version, or a database that already has the fixed
// view), it builds the same view.

export const migration362 = {
  version: 362,
  name: 'the events view built again (times before 1970 spelled as toISOString does)',
  up(db: Database): void {
    db.exec(`DROP VIEW IF EXISTS events; ${CODED_EVENTS_VIEW}`);
  },
};
