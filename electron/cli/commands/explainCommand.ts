import fs from 'node:fs';
import { countText } from '../../../shared/countText';
import type { Command } from 'commander';
import { isoTime } from '../cliOptions';
import { describeDeclineCode } from '../../../shared/declineCodes';
import type { Explanation } from '../../../shared/triage';
import { openStore } from '../../core/store/store';
import { TriageService } from '../../core/triage/triageService';
import { isFoldedCode } from '../../core/triage/explain';
import { sidesText } from '../../core/triage/segmentWords';
import { percent } from '../../core/triage/stats';
import { printJson, visible, visibleValue } from '../terminalText';
import { CliError, fail } from '../cliErrors';
import { cliRequest } from '../cliRequest';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';

interface ExplainFlags {
  db: string;
  from: number;
  to: number;
  baselineFrom?: number;
  baselineTo?: number;
  metric: string;
  json?: boolean;
  /** false with --no-mask. */
  mask?: boolean;
}


const points = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`;

export function explanationText(e: Explanation): string {
  const lines = [
    e.headline,
    `window   ${e.window.from} .. ${e.window.to}  ${percent(e.window.value)} of ${countText(e.window.attempts, 'attempt')}`,
    `baseline ${e.baseline.from} .. ${e.baseline.to}  ${percent(e.baseline.value)} of ${countText(e.baseline.attempts, 'attempt')}`,
  ];
  const shown = e.contributors.filter((c) => c.significant).slice(0, 10);
  if (shown.length > 0) {
    lines.push('contributors (significant):');
    for (const c of shown) {
      lines.push(
        `  ${c.dimension}=${visibleValue(c.value)}  ${sidesText(c.window, c.baseline)}  ${points(c.contribution)} (${c.effect}: rate ${points(c.rateEffect)}, mix ${points(c.mixEffect)})`,
      );
      // The health board's word on it, where the board marks it (the same verdict, the same minutes).
      if (c.health) lines.push(`    health board: ${c.health.state}, ${c.health.reason}`);
    }
  }
  const codes = e.declineCodes.filter((c) => c.significant);
  if (codes.length > 0) {
    lines.push('decline codes that grew:');
    for (const c of codes) {
      const what = isFoldedCode(c.code) ? `${c.code} ${c.meaning}` : describeDeclineCode(c.code);
      lines.push(`  ${what}  ${c.window.count} vs ${c.baseline.count} in the baseline`);
    }
  }
  // One line per element: a line break inside a value is escaped, not a new line.
  return `${lines.map(visible).join('\n')}\n`;
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description('which segments (issuer, BIN, acquirer, merchant, ...) moved a rate between a window and its baseline, by their rate or their share of traffic')
    .requiredOption('--db <file>', 'SQLite database file')
    .requiredOption('--from <iso>', 'window start', isoTime('--from'))
    .requiredOption('--to <iso>', 'window end, exclusive', isoTime('--to'))
    .option('--baseline-from <iso>', 'baseline start (default: the four windows of the same length before --from)', isoTime('--baseline-from'))
    .option('--baseline-to <iso>', 'baseline end, exclusive', isoTime('--baseline-to'))
    .option('--metric <name>', 'approval-rate, decline-rate or failure-rate', 'approval-rate')
    .option('--json', 'print one JSON object');
  // Segment values (a BIN, a merchant id) as a report's explanation shows them.
  addNoMaskOption(command).action((flags: ExplainFlags) => {
    try {
      const request = cliRequest(
        'triage.explain',
        { from: flags.from, to: flags.to, baselineFrom: flags.baselineFrom, baselineTo: flags.baselineTo, metric: flags.metric as 'approval-rate' },
      );
      if (!fs.existsSync(flags.db)) throw new CliError(`no database at ${flags.db}`, 3);
      const store = openStore(flags.db, { readonly: true });
      try {
        const e = maskedListing(new TriageService(store).explain(request), listingMasker(flags));
        if (flags.json) printJson(e);
        else process.stdout.write(explanationText(e));
      } finally {
        store.close();
      }
    } catch (err) {
      fail(err);
    }
  });
}
