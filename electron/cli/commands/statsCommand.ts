import fs from 'node:fs';
import type { Command } from 'commander';
import type { StoreStats } from '../../core/store/stats';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { padColumn, printJson, printText, visible } from '../terminalText';
import { formatMoneyTotal } from '../../../shared/format';
import { conflicts } from '../conflictText';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';

export function registerStats(program: Command): void {
  const command = program
    .command('stats')
    .description('what a database holds: events by type, duplicates, quarantined, authorized amounts, time range')
    .requiredOption('--db <file>', 'SQLite database file')
    .option('--json', 'print one JSON object');
  // Event types and currencies are whatever producers wrote: masked as a report's counts are.
  addNoMaskOption(command).action((flags: { db: string; json?: boolean; mask?: boolean }) => {
    try {
      if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
      const store = openStore(flags.db, { readonly: true });
      const stats = maskedListing(store.stats(), listingMasker(flags));
      store.close();
      if (flags.json) {
        printJson(stats);
        return;
      }
      printText(`${formatStatsText(stats)}\n`);
    } catch (err) {
      fail(err);
    }
  });
}

/**
 * The text form of `payops stats`: authorized amounts in major units with each currency's ISO
 * 4217 decimals, as reports print them ("1,038.91 EUR", "4,549 JPY", "93.430 KWD"); `--json`
 * keeps the minor units (a contract).
 */
export function formatStatsText(stats: StoreStats): string {
  const lines = [
    `events        ${stats.events}`,
    ...Object.entries(stats.byType).map(([type, n]) => `  ${padColumn(visible(type), 22)} ${n}`),
    `duplicates    ${stats.duplicates} (${stats.redeliveredDuplicates} redelivered)`,
    `quarantined   ${stats.quarantined}${stats.conflictingDuplicates ? ` (${conflicts(stats.conflictingDuplicates)})` : ''} since the database began, ${stats.quarantineHeld} held now`,
    `unknown types ${stats.unknownTypes}`,
    `authorized    ${Object.entries(stats.authorizedAmountByCurrency).map(([c, a]) => visible(formatMoneyTotal(a, c || null))).join(', ') || '-'}`,
    `time range    ${stats.firstEventTime ?? '-'} .. ${stats.lastEventTime ?? '-'}`,
  ];
  return lines.join('\n');
}
