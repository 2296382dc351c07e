import { countText } from '../../../shared/countText';
import fs from 'node:fs';
import type { Command } from 'commander';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { printJson } from '../terminalText';

const fileBytes = (file: string): number => ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export function registerCompact(program: Command): void {
  program
    .command('compact')
    .description('rewrite events stored before payops left the columns out of the stored CloudEvent text (migration 210); --vacuum then gives the space back')
    .requiredOption('--db <file>', 'SQLite database file (a console may keep using it; --vacuum needs it alone)')
    .option('--vacuum', 'after the rewrite, VACUUM the file so that it shrinks')
    .option('--json', 'print one JSON object')
    .action((flags: { db: string; vacuum?: boolean; json?: boolean }) => {
      try {
        if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
        const store = openStore(flags.db);
        try {
          const fileBefore = fileBytes(flags.db);
          const done = store.compactStoredTexts((p) => {
            if (!flags.json && process.stderr.isTTY) process.stderr.write(`\r${countText(p.rows, 'event')} read, ${p.rewritten} rewritten`);
          });
          if (!flags.json && process.stderr.isTTY) process.stderr.write('\n');
          if (flags.vacuum) {
            const inUse = `the texts are rewritten, but ${flags.db} is in use by another process: close it and run compact --vacuum again to shrink the file`;
            let shrunk = false;
            try {
              shrunk = store.vacuum();
            } catch (err) {
              if (!String((err as { code?: string }).code).startsWith('SQLITE_BUSY')) throw err;
            }
            if (!shrunk) throw new CliError(inUse, 3);
          }
          const summary = { ...done, fileBytesBefore: fileBefore, fileBytesAfter: fileBytes(flags.db), vacuumed: flags.vacuum === true };
          if (flags.json) {
            printJson(summary);
            return;
          }
          const lines = [
            `events read      ${done.rows}`,
            `rewritten        ${done.rewritten} (their text ${mb(done.bytesBefore)} -> ${mb(done.bytesAfter)})`,
            `database file    ${mb(summary.fileBytesBefore)} -> ${mb(summary.fileBytesAfter)}${flags.vacuum ? '' : ' (run with --vacuum to shrink the file)'}`,
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        } finally {
          store.close();
        }
      } catch (err) {
        fail(err);
      }
    });
}
