import type { Database } from 'better-sqlite3';

// Alert history kept no unit for an instance's value and peak: the console put the loaded
// rule's metric on them when it listed them, so a follower console (whose rules are not its
// collector's) and a burn-rate alert (no rule metric at all) read bare fractions ("0.2" for
// 20 %, "14.4" for a 14.4x burn). The metric as the evaluator (or the metrics stream) gave it;
// NULL in rows stored before it (the loaded rule's metric is used then, as before).
export const migration374 = {
  version: 374,
  name: 'alert history: the rule metric of each instance',
  up(db: Database): void {
    // Idempotent: a database rewound to an older user_version runs it again.
    const has = db.prepare("SELECT 1 FROM pragma_table_info('alert_instances') WHERE name = 'metric'").get() !== undefined;
    if (!has) db.exec('ALTER TABLE alert_instances ADD COLUMN metric TEXT');
  },
};
