import { countText } from '../../../shared/countText';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { buildReport } from '../../core/report/reportData';
import { ExportCancelledError, formatFromFile, runExport, type ExportProgress } from '../../core/report/reportExport';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { isoTime, repeatable } from '../cliOptions';
import { cliRequest } from '../cliRequest';
import { logLine } from '../logLine';
import { printJson } from '../terminalText';
import { formatInteger, formatSeconds } from '../../../shared/format';
import { filterConditions, filterLabels } from '../../core/report/reportFilter';
import { addFilterFlags, filterOfFlags, type FilterFlags } from './reportFilterFlags';

interface ReportFlags extends FilterFlags {
  db: string;
  from?: number;
  to?: number;
  alert?: string;
  margin: number;
  out?: string;
  /** false with --no-mask; the extra fields with --mask FIELD. */
  mask?: string[] | false;
  title?: string;
  notes?: string;
  notesFile?: string;
  json?: boolean;
  quiet?: boolean;
}


/** `--margin`: plain decimal minutes (Number() would read '' as 0 and '0x10' as 16). */
export function marginMinutes(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 24 * 60)) throw new InvalidArgumentError('--margin must be minutes between 0 and 1440');
  return n;
}

/** A CSV export's progress line; a filtered export's total is 0 (not known) until its last row. */
export function exportProgressLine(p: ExportProgress, matching: string): string {
  if (!p.total) return `exporting: ${countText(p.done, 'event', undefined, formatInteger)} so far${matching}`;
  return `exporting: ${formatInteger(p.done)} of ${countText(p.total, 'event', undefined, formatInteger)} (${Math.floor((p.done / p.total) * 100)}%)`;
}

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description(
      'incident report for a window (half-open: from <= event time < to) or an alert; the format follows --out: .html, .pdf, .csv (events of the window), .json',
    )
    .requiredOption('--db <file>', 'SQLite database file')
    .option('--from <iso>', 'window start (default: 24 hours before --to)', isoTime('--from'))
    .option('--to <iso>', 'window end, exclusive (default: just after the newest event)', isoTime('--to'))
    .option('--alert <key>', 'an alert instance key: the window runs from --margin before it fired to --margin after it resolved')
    .option('--margin <minutes>', 'margin around an alert', marginMinutes, 15)
    .option('--out <file>', 'output file: .html, .pdf, .csv or .json')
    .option('--mask <field>', 'also mask this field (repeatable); card BINs, customer ids, e-mails, phones and IBANs are always masked unless --no-mask', repeatable)
    .option('--no-mask', 'export sensitive fields unmasked (explicit opt-out)')
    .option('--title <text>', 'report title')
    .option('--notes <text>', 'operator notes to include')
    .option('--notes-file <file>', 'operator notes from a text file')
    .option('--json', 'print the report as one JSON object on stdout')
    .option('--quiet', 'no progress on stderr');
  // The explorer's filter: the report of the events it matches (its figures and its CSV).
  addFilterFlags(command).action((flags: ReportFlags) => runReport(flags).catch(fail));
}

async function runReport(flags: ReportFlags): Promise<void> {
  if (!flags.out && !flags.json) throw new CliError('give --out FILE.{pdf,html,csv,json} or --json');
  const format = flags.out ? formatFromFile(flags.out) : null;
  if (flags.out && !format) throw new CliError(`cannot tell the format of ${flags.out}: use .pdf, .html, .csv or .json`);
  if (flags.out && !fs.existsSync(path.dirname(path.resolve(flags.out)))) throw new CliError(`no such directory: ${path.dirname(path.resolve(flags.out))}`);
  if (flags.alert && (flags.from !== undefined || flags.to !== undefined)) throw new CliError('give either --alert or --from/--to, not both');
  if (flags.from !== undefined && flags.to !== undefined && !(flags.to > flags.from)) throw new CliError('--to must be after --from (the window is half-open: from <= time < to)');
  const filter = filterOfFlags(flags);
  let notes = flags.notes;
  if (flags.notesFile) {
    try {
      notes = [notes, fs.readFileSync(flags.notesFile, 'utf8')].filter(Boolean).join('\n\n');
    } catch (err) {
      throw new CliError(`cannot read --notes-file: ${(err as Error).message}`);
    }
  }
  const windowRequest = cliRequest(
    'report.build',
    {
      from: flags.from,
      to: flags.to,
      alertKey: flags.alert,
      marginMinutes: flags.margin,
      title: flags.title,
      notes,
      mask: flags.mask !== false,
      maskFields: Array.isArray(flags.mask) ? flags.mask : [],
    },
    { alertKey: '--alert', marginMinutes: '--margin', maskFields: '--mask', notes: flags.notesFile ? '--notes/--notes-file' : '--notes' },
  );
  const request = filter ? { ...windowRequest, filter } : windowRequest;
  const conditions = filterConditions(filter);
  const matching = conditions ? ` matching ${filterLabels(conditions).join(', ')}` : '';
  if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
  const store = openStore(flags.db, { readonly: true });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!request.mask && !flags.quiet) logLine('masking is OFF (--no-mask): the export contains card BINs and customer data as stored');
    let report = null;
    if (flags.out && format) {
      let lastLog = 0;
      const started = Date.now();
      const result = await runExport(store, {
        ...request,
        format,
        outFile: flags.out,
        signal: controller.signal,
        onProgress: (p) => {
          if (flags.quiet || format !== 'csv' || Date.now() - lastLog < 1000) return;
          lastLog = Date.now();
          logLine(exportProgressLine(p, matching));
        },
      });
      report = result.report;
      if (!flags.quiet) logLine(`wrote ${result.file} (${format}, ${formatInteger(result.bytes)} bytes${format === 'csv' ? `, ${countText(result.rows, 'event', undefined, formatInteger)}${matching}` : ''}) in ${formatSeconds(Date.now() - started)}`);
    }
    if (flags.json) {
      report ??= buildReport(store, request);
      printJson(report);
    }
  } catch (err) {
    if (err instanceof ExportCancelledError) {
      logLine('export cancelled: no file written');
      process.exitCode = 130;
      return;
    }
    if ((err as Error).constructor?.name === 'ReportWindowError') throw new CliError((err as Error).message);
    if ((err as Error).constructor?.name === 'NoChromiumError') throw new CliError((err as Error).message, 4);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
}
