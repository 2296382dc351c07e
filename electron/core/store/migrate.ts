import type { Database } from 'better-sqlite3';
import { migration001 } from './migrations/001_events';
import { migration010 } from './migrations/010_alerts';
import { migration115 } from './migrations/115_scored_decisions';
import { migration120 } from './migrations/120_event_log';
import { migration121 } from './migrations/121_stream_offsets';
import { migration150 } from './migrations/150_redrive_audit';
import { migration160 } from './migrations/160_metrics_stream';
import { migration140 } from './migrations/140_notification_log';
import { migration130 } from './migrations/130_segment_rollups';
import { migration170 } from './migrations/170_minute_rollups';
import { migration180 } from './migrations/180_ten_minute_rollups';
import { migration190 } from './migrations/190_payment_rollups';
import { migration200 } from './migrations/200_segment_ten_minutes';
import { migration210 } from './migrations/210_stored_envelope';
import { migration220 } from './migrations/220_segment_totals';
import { migration230 } from './migrations/230_coded_rollups';
import { migration240 } from './migrations/240_coded_segments';
import { migration250 } from './migrations/250_coded_sources';
import { migration260 } from './migrations/260_payment_index';
import { migration270 } from './migrations/270_identity_index';
import { migration280 } from './migrations/280_merchant_index';
import { migration290 } from './migrations/290_quarantine_redelivery';
import { migration300 } from './migrations/300_payment_failures';
import { migration310 } from './migrations/310_segment_named';
import { migration320 } from './migrations/320_notification_log_sent';
import { migration330 } from './migrations/330_quarantine_held';
import { migration340 } from './migrations/340_queue_oldest_age';
import { migration342 } from './migrations/342_redrive_audit_copy';
import { migration350 } from './migrations/350_segment_payments';
import { migration360 } from './migrations/360_segment_payments_backfill';
import { migration362 } from './migrations/362_events_view_rebuilt';
import { migration372 } from './migrations/372_late_arrival_index';
import { migration374 } from './migrations/374_alert_metric';
import { migration376 } from './migrations/376_delivery_attempts';
import { migration378 } from './migrations/378_stream_attempts';
import { migration380 } from './migrations/380_alert_annotations';
import { migration382 } from './migrations/382_payment_id_hashes';
import { migration384 } from './migrations/384_decode_attempts';
import { migration386 } from './migrations/386_stream_received';
import { newerSchema } from './schemaCheck';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

// Numbered migrations, applied in order, each in its own transaction; user_version records
// the last applied. Later issues add their files here (010 alerts, 020 explorer, ...).
export const MIGRATIONS: Migration[] = [migration001, migration010, migration115, migration120, migration121, migration130, migration140, migration150, migration160, migration170, migration180, migration190, migration200, migration210, migration220, migration230, migration240, migration250, migration260, migration270, migration280, migration290, migration300, migration310, migration320, migration330, migration340, migration342, migration350, migration360, migration362, migration372, migration374, migration376, migration378, migration380, migration382, migration384, migration386];

/** The schema version a database has once every migration has run. */
export const NEWEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** How long a migration waits for another process's write lock (another payops migrating the file). */
export const MIGRATION_LOCK_WAIT_MS = 120_000;

export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): number {
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  const version = (): number => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > newest) throw new Error(`database ${newerSchema(current, newest)}`);
    return current;
  };
  const lockWait = db.pragma('busy_timeout', { simple: true }) as number;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= version()) continue;
    // Another payops migrating the same file holds the write lock for as long as a migration
    // takes (seconds to tens of seconds on millions of events): wait for it, not 5 s.
    db.pragma(`busy_timeout = ${Math.max(lockWait, MIGRATION_LOCK_WAIT_MS)}`);
    try {
      // IMMEDIATE, and the version read again inside: another process opening the same older
      // database at the same time (a collector and a console, a stats beside them) may have
      // applied this migration since, and applying it twice fails ("table ... already exists").
      db.transaction(() => {
        if (m.version <= version()) return;
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
        throw new Error(`another process has held a write lock on it for ${MIGRATION_LOCK_WAIT_MS / 1000} s (it may be migrating it to this version): run this again once it has finished (${code})`);
      }
      throw err;
    } finally {
      db.pragma(`busy_timeout = ${lockWait}`);
    }
  }
  return db.pragma('user_version', { simple: true }) as number;
}
