import fs from 'node:fs';
import type { Command } from 'commander';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('what a database holds: events by type, duplicates, quarantined, authorized amounts, time range')
    .requiredOption('--db <file>', 'SQLite database file')
    .option('--json', 'print one JSON object')
    .action((flags: { db: string; json?: boolean }) => {
      try {
        if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
        const store = openStore(flags.db, { readonly: true });
        const stats = store.stats();
        store.close();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(stats)}\n`);
          return;
        }
        const lines = [
          `events        ${stats.events}`,
          ...Object.entries(stats.byType).map(([type, n]) => `  ${type.padEnd(22)} ${n}`),
          `duplicates    ${stats.duplicates} (${stats.redeliveredDuplicates} redelivered)`,
          `quarantined   ${stats.quarantined}`,
          `unknown types ${stats.unknownTypes}`,
          `authorized    ${Object.entries(stats.authorizedAmountByCurrency).map(([c, a]) => `${c} ${a}`).join(', ') || '-'}`,
          `time range    ${stats.firstEventTime ?? '-'} .. ${stats.lastEventTime ?? '-'}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
