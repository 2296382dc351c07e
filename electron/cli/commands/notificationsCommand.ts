import fs from 'node:fs';
import type { Command } from 'commander';
import { notificationLogToJson, type NotificationLogEntry } from '../../../shared/notifications';
import { openNotificationLog } from '../../core/store/notificationLogRepository';
import { CliError, fail } from '../cliErrors';
import { displayWidth, fitColumn, padColumn, printJson, printText, visible } from '../terminalText';
import { positiveInt } from '../cliOptions';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';

interface NotificationsFlags {
  db: string;
  json?: boolean;
  limit: number;
  /** false with --no-mask. */
  mask?: boolean;
}

const HELP_AFTER = `
Prints the notification log of a session database, oldest first: one entry per delivery
attempt to a contact point (sent, failed), and one per decision not to deliver (muted by a
mute timing, inhibited by a firing source alert, would_notify in a replay or demo).
--json prints one JSON array; each item has at, eventAt (ISO), contactPoint, contactType,
outcome, status (firing|resolved), rule, labels (those all its alerts share), groupKey,
groupLabels, alerts [{rule, severity, status, labels, fingerprint, startsAt, endsAt, summary,
and where its rule said them: description, runbookUrl, metric, value}],
attempts (made up to this entry; 0 for a decision), attempt, maxAttempts, final, httpStatus,
error, durationMs. URLs are never stored: a row names the contact point. Labels, summaries
and errors are masked as exports mask them; --no-mask prints them as stored.

Exit codes: 0 printed (also when there is nothing to print), 1 usage, 3 no such database.`;

export function registerNotifications(program: Command): void {
  const command = program
    .command('notifications')
    .description('print the notification log of a database (what was sent where, retried, failed, muted or inhibited)')
    .requiredOption('--db <file>', 'SQLite database file')
    .option('--json', 'print a JSON array')
    .option('--limit <n>', 'at most this many entries (the oldest first)', positiveInt('--limit'), 100_000)
    .addHelpText('after', HELP_AFTER);
  addNoMaskOption(command).action((flags: NotificationsFlags) => {
    try {
      runNotifications(flags);
    } catch (err) {
      fail(err);
    }
  });
}

function runNotifications(flags: NotificationsFlags): void {
  if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
  const store = openNotificationLog(flags.db, { readonly: true });
  let entries: NotificationLogEntry[];
  try {
    entries = store.present ? store.log.list({ limit: flags.limit }) : [];
  } finally {
    store.close();
  }
  entries = maskedListing(entries, listingMasker(flags));
  if (flags.json) {
    printJson(entries.map(notificationLogToJson));
    return;
  }
  printText(`${formatNotificationTable(entries)}\n`);
}

export function formatNotificationTable(entries: readonly NotificationLogEntry[]): string {
  if (entries.length === 0) return 'no notifications';
  const rows = entries.map((e) => [
    new Date(e.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    e.contactPoint,
    e.outcome + (e.attempt > 0 ? ` ${e.attempt}/${e.maxAttempts}` : ''),
    e.status,
    e.rule,
    `${e.alerts.length}`,
    e.error ?? (e.httpStatus !== null ? `HTTP ${e.httpStatus}` : ''),
  ].map((cell, i, all) => (i === all.length - 1 ? visible(cell) : fitColumn(visible(cell)))));
  const head = ['AT', 'CONTACT POINT', 'OUTCOME', 'STATUS', 'RULE', 'ALERTS', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : padColumn(c, widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line), `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`].join('\n');
}
