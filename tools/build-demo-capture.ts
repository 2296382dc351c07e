// Builds electron/core/demo/paysim-demo.ndjson.gz from the PaySim sample.
//   npx vite-node tools/build-demo-capture.ts [--input ../shared/data/paysim-10k.csv] [--output ...]
// Deterministic: the same CSV always gives the same bytes (gzip without a timestamp), so
// a rebuilt file that differs means the mapping changed. The mapping lives in
// electron/core/sim/paysimMapping.ts; its tests check the shipped file is current.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { buildPaysimCaptureText, PAYSIM_SAMPLE_SHA256 } from '../electron/core/sim/paysimMapping';

const REPO = resolve(__dirname, '..');

const program = new Command()
  .name('build-demo-capture')
  .option('--input <csv>', 'PaySim CSV', join(REPO, '..', 'shared', 'data', 'paysim-10k.csv'))
  .option('--output <file>', 'capture to write', join(REPO, 'electron', 'core', 'demo', 'paysim-demo.ndjson.gz'))
  .option('--allow-other-input', 'accept a CSV other than the documented sample', false)
  .parse();
const opts = program.opts<{ input: string; output: string; allowOtherInput: boolean }>();

const csv = readFileSync(opts.input);
const sha = createHash('sha256').update(csv).digest('hex');
if (sha !== PAYSIM_SAMPLE_SHA256 && !opts.allowOtherInput) {
  console.error(`${opts.input}: sha256 ${sha} is not the documented PaySim sample (pass --allow-other-input to use it anyway)`);
  process.exit(1);
}
const { text, rows, events } = buildPaysimCaptureText(csv.toString('utf8'));
const gz = gzipSync(text, { level: 9 });
writeFileSync(opts.output, gz);
console.log(`${opts.output}: ${rows} rows -> ${events} events, ${Buffer.byteLength(text)} bytes of text, ${gz.length} bytes gzipped`);
