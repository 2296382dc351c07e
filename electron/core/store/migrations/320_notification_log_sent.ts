import type { Database } from 'better-sqlite3';

// The notification log's delivered rows by contact point and group (NotificationLogRepository
// .lastSent, read at each live start to carry the routing on): a partial index, so the read
// goes over the delivered rows' keys only, not over every attempt and the alerts it repeats.
// IF NOT EXISTS: a database rewound to an older user_version keeps the index it has.
export const migration320 = {
  version: 320,
  name: 'notification log: index of the delivered rows',
  up(db: Database): void {
    db.exec(`CREATE INDEX IF NOT EXISTS notification_log_sent ON notification_log (contact_point, group_key, id) WHERE outcome = 'sent'`);
  },
};
