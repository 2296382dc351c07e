#!/usr/bin/env node
// Runs @doyensec/electronegativity over electron/ (the TypeScript sources) and fails on any
// HIGH severity finding. Its own install (npm ci --prefix tools/electronegativity) keeps its old
// parser dependencies out of the app; TypeScript is pinned to the project's 5.9 there.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..', '..');
const input = path.resolve(root, process.argv[2] || 'electron');
const outFile = path.join(__dirname, 'report.csv');

let run;
try {
  run = require('@doyensec/electronegativity');
} catch (error) {
  console.error('electronegativity is not installed: npm ci --prefix tools/electronegativity');
  console.error(error.message);
  process.exit(2);
}

const electronVersion = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const v = (pkg.devDependencies && pkg.devDependencies.electron) || (pkg.dependencies && pkg.dependencies.electron);
  return v ? String(v).replace(/^[^\d]*/, '') : undefined;
})();

// Test files exercise the code with fakes; they are not shipped and are not scanned.
function isScanned(file) {
  return !/\.test\.[cm]?[jt]sx?$/.test(file) && !file.includes(`${path.sep}node_modules${path.sep}`);
}

(async () => {
  // The scanner prints a progress bar and chatty warnings to stdout; keep our summary readable.
  const result = await run({
    input,
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
  const issues = result.issues.filter((i) => isScanned(i.file));
  const fatal = result.errors.filter((e) => !e.tolerable && isScanned(e.file));
  const bySeverity = {};
  for (const i of issues) bySeverity[i.severity.name] = (bySeverity[i.severity.name] || 0) + 1;

  console.log(`electronegativity over ${path.relative(root, input) || '.'} (Electron ${electronVersion || 'unknown'}): ` +
    `${result.globalChecks} global + ${result.atomicChecks} atomic checks, ${issues.length} findings`);
  const order = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
  const sorted = issues.slice().sort((a, b) => order.indexOf(a.severity.name) - order.indexOf(b.severity.name));
  for (const i of sorted) {
    const loc = i.location ? `${i.location.line}:${i.location.column}` : '';
    console.log(`  ${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(10)} ${i.id.padEnd(40)} ${path.relative(root, path.resolve(input, i.file))}:${loc}${i.manualReview ? '  (review)' : ''}`);
  }
  for (const e of fatal) console.log(`  PARSE-ERROR  ${path.relative(root, path.resolve(input, e.file))}: ${e.message}`);
  const summary = order.map((s) => `${s} ${bySeverity[s] || 0}`).join(', ');
  console.log(`summary: ${summary}; parse errors ${fatal.length}`);
  try {
    const rows = [['severity', 'confidence', 'id', 'file', 'line', 'column', 'manualReview']].concat(
      sorted.map((i) => [i.severity.name, i.confidence.name, i.id, i.file, i.location ? i.location.line : '', i.location ? i.location.column : '', i.manualReview]),
    );
    fs.writeFileSync(outFile, rows.map((r) => r.join(',')).join('\n') + '\n');
  } catch {
    /* the report file is a convenience */
  }
  if ((bySeverity.HIGH || 0) > 0 || fatal.length > 0) {
    console.log('FAIL: HIGH severity findings (or files the scanner could not parse)');
    process.exit(1);
  }
  console.log('OK: no HIGH severity findings');
})().catch((error) => {
  console.error(`electronegativity failed: ${error && error.stack ? error.stack : error}`);
  process.exit(2);
});
