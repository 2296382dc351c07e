import type { Database } from 'better-sqlite3';

// Alert history kept no runbook or description of an instance's rule: a follower console,
// whose rules are not its collector's, listed the collector's alerts without the runbook
// link, and its notifications and incident reports had none. The rule's runbook URL (secrets
// removed) and description as the evaluator (or the metrics stream) gave them; NULL in rows
// stored before.
export const migration380 = {
  version: 380,
  name: 'alert history: the runbook and description of each instance',
  up(db: Database): void {
    // Idempotent: a database rewound to an older user_version runs it again.
    const has = (column: string) => db.prepare("SELECT 1 FROM pragma_table_info('alert_instances') WHERE name = ?").get(column) !== undefined;
    if (!has('runbook_url')) db.exec('ALTER TABLE alert_instances ADD COLUMN runbook_url TEXT');
    if (!has('description')) db.exec('ALTER TABLE alert_instances ADD COLUMN description TEXT');
  },
};
