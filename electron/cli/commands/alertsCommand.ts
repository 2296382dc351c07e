import fs from 'node:fs';
import { Option, type Command } from 'commander';
import type { AlertHistoryJson } from '../../../shared/alerts';
import { alertHistoryJson } from '../../core/alerts';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { displayWidth, fitColumn, padColumn, printJson, printText, visible, visibleLabel } from '../terminalText';
import { isoTime, positiveInt } from '../cliOptions';
import { cliRequest } from '../cliRequest';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';
import { formatFixed } from '../../../shared/format';
import { METRIC_INFO, type AlertMetric } from '../../../shared/alertRules';
import { formatMetricValue, formatNamedMetricValue } from '../../../shared/alertValueFormat';

interface AlertsFlags {
  db: string;
  json?: boolean;
  rule?: string;
  severity?: 'critical' | 'warning' | 'info';
  since?: number;
  until?: number;
  all?: boolean;
  limit: number;
  /** false with --no-mask. */
  mask?: boolean;
}

const HELP_AFTER = `
Prints the alert history a session database holds (live, demo or a replay's), newest
first: by default the alerts that fired. --json prints one JSON array; each item has
rule, severity, labels, firedAt, resolvedAt (ISO or null), peakValue, transitions
[{state, at}], and more (key, group, state, summary, acknowledged, resolveNote).
The database is opened read-only.

Labels, keys, summaries and notes are masked as exports mask them (a merchant id that is a card
number, an e-mail address, a card BIN); --no-mask prints them as stored (a key to give
\`payops report --alert\`).

Exit codes: 0 printed (also when there is nothing to print), 1 usage, 3 no such database.`;


export function registerAlerts(program: Command): void {
  const command = program
    .command('alerts')
    .description('print the alert history of a database (what fired, when, peak value, transitions)')
    .requiredOption('--db <file>', 'SQLite database file')
    .option('--json', 'print a JSON array')
    .option('--rule <name>', 'only this rule')
    .addOption(new Option('--severity <level>', 'only this severity').choices(['critical', 'warning', 'info']))
    .option('--since <iso>', 'only alerts active at or after this time', isoTime('--since', { epochMs: true }))
    .option('--until <iso>', 'only alerts that began before this time', isoTime('--until', { epochMs: true }))
    .option('--all', 'also episodes that went pending (or no data) but never fired')
    .option('--limit <n>', 'at most this many, newest first', positiveInt('--limit'), 1000)
    .addHelpText('after', HELP_AFTER);
  addNoMaskOption(command).action((flags: AlertsFlags) => {
    try {
      runAlerts(flags);
    } catch (err) {
      fail(err);
    }
  });
}

function runAlerts(flags: AlertsFlags): void {
  const filter = cliRequest(
    'alerts.history',
    { rule: flags.rule, severity: flags.severity, since: flags.since, until: flags.until, firedOnly: !flags.all, limit: flags.limit },
    { firedOnly: '--all' },
  );
  if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
  const store = openStore(flags.db, { readonly: true });
  let alerts: AlertHistoryJson[];
  try {
    // A database written before alerting existed simply has no alerts.
    alerts = store.hasTables('alert_instances') ? alertHistoryJson(store, { ...filter, includeUnfired: !filter.firedOnly }) : [];
  } finally {
    store.close();
  }
  alerts = maskedListing(alerts, listingMasker(flags));
  if (flags.json) {
    printJson(alerts);
    return;
  }
  printText(`${formatAlertTable(alerts)}\n`);
}

const short = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

export function fmtValue(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '-';
  if (Number.isInteger(v)) return String(v);
  return formatFixed(v, Math.abs(v) < 1 ? 3 : 2);
}

/** The rate metrics by the label their summaries start with ("decline rate 23 %, ..."), longest first. */
const RATE_LABELS = (Object.entries(METRIC_INFO) as [AlertMetric, (typeof METRIC_INFO)[AlertMetric]][])
  .filter(([, info]) => info.unit === 'ratio')
  .sort((a, b) => b[1].label.length - a[1].label.length);

/**
 * A peak in the unit of the metric stored with it ("14.4x burn", "12.5 s"); for an instance
 * stored without one, as its summary writes the value: a rate in percent ("37 %"), anything
 * else as a number. An episode that ended in no data ("decline rate for merchant m_1: no data
 * in the last 5m") has no percent in its summary, but its peak is the rate's.
 */
export function fmtPeak(peak: number | null, summary: string, metric?: string): string {
  const inUnit = peak === null ? null : formatNamedMetricValue(metric, peak);
  if (inUnit !== null) return inUnit;
  const rate = RATE_LABELS.find(
    ([, info]) => (summary.startsWith(`${info.label} `) || summary.startsWith(`${info.label}:`)) && (/ %/.test(summary) || /: no data in the last /.test(summary)),
  );
  return rate && peak !== null && Number.isFinite(peak) ? formatMetricValue(rate[0], peak) : fmtValue(peak);
}

/** A readable table: one alert a line, newest first, then a count. */
export function formatAlertTable(alerts: readonly Pick<AlertHistoryJson, 'rule' | 'severity' | 'group' | 'state' | 'firedAt' | 'resolvedAt' | 'activeSince' | 'peakValue' | 'metric' | 'summary' | 'silenced' | 'acknowledged'>[]): string {
  if (alerts.length === 0) return 'no alerts';
  const rows = alerts.map((a) => [
    // With --all, episodes that went pending (or no data) but never fired are listed too:
    // their start must not stand under FIRED as if they had fired.
    a.firedAt ? short(a.firedAt) : `never (active from ${short(a.activeSince)})`,
    a.resolvedAt ? short(a.resolvedAt) : a.state,
    a.severity,
    a.rule,
    a.group ? visibleLabel(a.group) : '-',
    fmtPeak(a.peakValue, a.summary, a.metric),
    [a.silenced ? '[silenced]' : '', a.acknowledged ? `[ack ${a.acknowledged.by}]` : '', a.summary].filter(Boolean).join(' '),
    // GROUP (4) is made visible as a label: a blank merchant id is quoted.
  ].map((cell, i, all) => (i === all.length - 1 ? visible(cell) : fitColumn(i === 4 ? cell : visible(cell)))));
  const head = ['FIRED', 'RESOLVED', 'SEVERITY', 'RULE', 'GROUP', 'PEAK', 'SUMMARY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : padColumn(c, widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line), `${alerts.length} alert${alerts.length === 1 ? '' : 's'}`].join('\n');
}
