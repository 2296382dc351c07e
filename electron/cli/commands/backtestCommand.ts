import { countText } from '../../../shared/countText';
import fs from 'node:fs';
import type { Command } from 'commander';
import { alertHistoryRecordToJson, type AlertHistoryJson, type AlertNotification } from '../../../shared/alerts';
import { DEFAULT_RULES, loadRulesFile, RuleValidationError, type AlertRule } from '../../core/alerts';
import { backtestCapture, backtestStoredRange, hasEventTables } from '../../core/alerts/backtestSources';
import type { BacktestResult } from '../../core/alerts/backtest';
import { CaptureReadError } from '../../core/capture/captureErrors';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { printJson, printText } from '../terminalText';
import { isoTime, positiveInt } from '../cliOptions';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';
import { formatAlertTable } from './alertsCommand';
import { loadRoutingFile } from '../../core/alerts/loadRulesFile';
import { backtestRouting, type RoutingBacktest } from '../../core/notify/routingBacktest';

interface BacktestFlags {
  rules?: string;
  db?: string;
  from?: number;
  to?: number;
  json?: boolean;
  all?: boolean;
  maxEvents?: number;
  /** false with --no-mask. */
  mask?: boolean;
}

const HELP_AFTER = `
Runs a rule set over past events and lists what would have fired and when, without
touching live state: over a capture file (decoded as \`payops replay\` would), or over a
stored time range of a database (opened read-only; events in event-time order and the
queue depths polled then). The same evaluator as the live console does the work.

  payops backtest --rules rules.yaml incident.ndjson.gz --json
  payops backtest --rules rules.yaml --db live.db --from 2026-11-23T08:00:00Z --to 2026-11-23T09:00:00Z

Without --rules the default pack runs. Without --from/--to a database's whole range is used.
--json prints one object: {rules, input, events, from, to, evaluations, fired, alerts: [...],
notifications: [...]}, each alert as in \`payops alerts --json\`. Labels, summaries and
notifications are masked as exports mask them; --no-mask prints them as the events hold them.

A capture that breaks off (a cut or corrupt gzip, a last line cut mid-line) is backtested up
to the break, as \`payops replay\` stores it: input.truncated is true, input.error names the
line, and the exit code is 1.

Exit codes: 0 done (whether or not anything fired), 1 bad rules file (each problem named
by rule and field), bad input or usage, a capture that breaks off, 3 database unusable.`;

export function registerBacktest(program: Command): void {
  const command = program
    .command('backtest')
    .description('run alert rules over a capture file or a stored time range and list what would have fired and when')
    .argument('[capture]', 'capture file: .ndjson, .jsonl, optionally .gz')
    .option('--rules <file>', 'alert rules (YAML or JSON); default: the built-in pack')
    .option('--db <file>', 'backtest over events stored in this database (read-only) instead of a capture')
    .option('--from <iso>', 'with --db: start of the range (ISO time; default: the first stored event)', isoTime('--from', { epochMs: true }))
    .option('--to <iso>', 'with --db: end of the range, exclusive (ISO time; default: just after the last stored event)', isoTime('--to', { epochMs: true }))
    .option('--max-events <n>', 'with --db: read at most this many events (the output says where it stopped)', positiveInt('--max-events'))
    .option('--all', 'also list episodes that went pending (or no data) but never fired')
    .option('--json', 'print one JSON object')
    .addHelpText('after', HELP_AFTER);
  addNoMaskOption(command).action((capture: string | undefined, flags: BacktestFlags) => runBacktest(capture, flags).catch(fail));
}

/** Loads the rules file; a bad one becomes a usage error listing every problem by rule and field. */
export function loadRulesForCli(file: string | undefined): readonly AlertRule[] {
  if (!file) return DEFAULT_RULES;
  try {
    const rules = loadRulesFile(file);
    loadRoutingFile(file); // contact points, policies, ...: refused here too, by section and field
    return rules;
  } catch (err) {
    if (err instanceof RuleValidationError) throw new CliError(err.message, 1);
    throw err;
  }
}

async function runBacktest(capture: string | undefined, flags: BacktestFlags): Promise<void> {
  if (capture && flags.db) throw new CliError('give either a capture file or --db, not both');
  if (!capture && !flags.db) throw new CliError('give a capture file, or --db FILE (with --from and --to)');
  if (capture && (flags.from !== undefined || flags.to !== undefined || flags.maxEvents !== undefined)) {
    throw new CliError('--from, --to and --max-events apply to --db only (a capture is read whole)');
  }
  const rules = loadRulesForCli(flags.rules);
  const routing = flags.rules ? loadRoutingFile(flags.rules) : null;
  // The rules file's burn-rate (SLO) rules page too: they run beside the rules, as in a replay.
  const burnRates = routing?.burnRates ?? [];
  const started = Date.now();
  let result: BacktestResult;
  let input: Record<string, unknown>;
  if (capture) {
    try {
      const r = await backtestCapture(capture, rules, { includeUnfired: flags.all, burnRates });
      // truncated and error as `payops replay --json` says them: the capture breaks off, what came before was backtested.
      input = { capture, lines: r.lines, badLines: r.badLines, undecodable: r.undecodable, duplicates: r.duplicates, truncated: r.truncated, error: r.error };
      result = r;
    } catch (err) {
      if (err instanceof CaptureReadError) throw new CliError(`capture ${err.message}`);
      throw err;
    }
  } else {
    const file = flags.db!;
    if (!fs.existsSync(file)) throw new CliError(`no database at ${file}`, 3);
    const store = openStore(file, { readonly: true });
    try {
      if (!hasEventTables(store)) throw new CliError(`${file} is not a payops database (no events table)`, 3);
      const stored = store.events.timeRange();
      const from = flags.from ?? stored?.first ?? 0;
      const to = flags.to ?? (stored ? stored.last + 1 : from + 1);
      if (from >= to) throw new CliError(`--from must be before --to (got ${new Date(from).toISOString()} .. ${new Date(to).toISOString()})`);
      const r = await backtestStoredRange(store, rules, { from, to, maxEvents: flags.maxEvents, includeUnfired: flags.all, yieldBetweenPages: false, burnRates });
      input = { db: file, from: iso(from), to: iso(to), truncated: r.truncated };
      result = r;
    } finally {
      store.close();
    }
  }

  const alerts = result.alerts.map(alertHistoryRecordToJson);
  const fired = alerts.filter((a) => a.firedAt !== null).length;
  const out = maskedListing({
    rules: rules.filter((r) => r.enabled).map((r) => r.name),
    rulesFile: flags.rules ?? null,
    input,
    events: result.events,
    from: result.from === null ? null : iso(result.from),
    to: result.to === null ? null : iso(result.to),
    evaluations: result.evaluations,
    fired,
    alerts,
    notifications: result.notifications.map(notificationJson),
    // The routing of the rules file, never delivered: "would notify" (issue 14).
    routing: routing ? backtestRouting(routing, result.notifications, result.alerts, result.to, result.silenceChanges) : null,
    durationMs: Date.now() - started,
  }, listingMasker(flags));
  if (flags.json) printJson(out);
  else printText(`${formatBacktest(out)}\n`);
  // A capture that breaks off exits 1, as `payops replay` does for it (its result is printed).
  if (capture && input.truncated === true) process.exitCode = 1;
}

const iso = (ms: number) => new Date(ms).toISOString();

function notificationJson(n: AlertNotification) {
  return { kind: n.kind, at: iso(n.at), rule: n.rule, severity: n.severity, labels: n.labels, value: n.value, summary: n.summary };
}

function formatRouting(r: RoutingBacktest): string[] {
  const lines = ['would notify (nothing was delivered):'];
  for (const c of r.contactPoints) if (c.messages) lines.push(`  ${c.name} (${c.type}): ${countText(c.messages, 'message')}, ${c.firing} firing, ${c.resolved} resolved`);
  if (r.wouldNotify.length === 0) lines.push('  no contact point');
  const held = (reason: string) => r.suppressed.filter((s) => s.reason === reason).length;
  if (r.suppressed.length) lines.push(`  held back: ${held('muted')} muted, ${held('inhibited')} inhibited, ${held('silenced')} silenced`);
  for (const p of r.timeToFirstPage) lines.push(`  first page for ${p.rule} ${JSON.stringify(p.labels)}: ${p.seconds === null ? 'never' : `${p.seconds} s after the problem began`}`);
  return lines;
}

function formatBacktest(o: { rules: string[]; input: Record<string, unknown>; events: number; from: string | null; to: string | null; fired: number; alerts: AlertHistoryJson[]; routing: RoutingBacktest | null }): string {
  const what = o.input.capture ? `capture ${String(o.input.capture)}` : `${String(o.input.db)} ${String(o.input.from)} .. ${String(o.input.to)}`;
  const lines = [
    `backtest of ${countText(o.rules.length, 'rule')} over ${what}: ${countText(o.events, 'event')} (${o.from ?? '-'} .. ${o.to ?? '-'})`,
  ];
  if (o.input.capture && o.input.truncated) lines.push(`note: the capture breaks off: ${String(o.input.error)}; the lines before it were backtested`);
  else if (o.input.truncated) lines.push(`note: ${String(o.input.truncated)}`);
  if (o.input.badLines) lines.push(`note: ${countText(Number(o.input.badLines), 'unreadable capture line')} skipped`);
  lines.push(o.alerts.length ? formatAlertTable(o.alerts) : 'nothing would have fired');
  if (o.routing) lines.push(...formatRouting(o.routing));
  return lines.join('\n');
}
