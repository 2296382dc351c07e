#!/usr/bin/env node
// Fails when the build output holds test code. electron-builder packages dist/, so anything
// of the tests that tsc emits there would ship: fault kits, fixtures, test kits, compiled
// tests, or the test-only tree test/. `npm test` runs this right after building; the same
// names are excluded in electron-builder.yml (checked by tools/check-builder-config.js).
// Usage: node tools/check-dist.js [DIR]   (default: dist). Exits 1 and lists what it found.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.resolve(root, process.argv[2] || 'dist');

// One entry per kind of test code, tested against each path relative to DIR (with '/').
const FORBIDDEN = [
  { what: 'a faults/ folder (fault-suite kits)', test: (p) => /(^|\/)faults(\/|$)/.test(p) },
  { what: 'a testing/ folder (fixtures)', test: (p) => /(^|\/)testing(\/|$)/.test(p) },
  { what: 'testSupport', test: (p) => p.includes('testSupport') },
  { what: 'a *TestKit* file', test: (p) => /TestKit/.test(path.posix.basename(p)) },
  { what: 'a compiled test (*.test.js)', test: (p) => /\.test\.js(\.map)?$/.test(p) || /\.test\.d\.ts$/.test(p) },
  { what: 'the test-only tree test/', test: (p) => /^test(\/|$)/.test(p) },
];

function walk(dir, rel, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    out.push(p);
    if (entry.isDirectory()) walk(path.join(dir, entry.name), p, out);
  }
  return out;
}

if (!fs.existsSync(dist)) {
  console.error(`check-dist: ${path.relative(root, dist) || dist} does not exist (npm run build first)`);
  process.exit(2);
}
const found = [];
for (const p of walk(dist, '', [])) {
  const rule = FORBIDDEN.find((r) => r.test(p));
  if (rule) found.push(`${p}: ${rule.what}`);
}
if (found.length > 0) {
  console.error(`check-dist: ${path.relative(root, dist) || dist} holds test code, which electron-builder would package:`);
  for (const line of found.slice(0, 50)) console.error(`  - ${line}`);
  if (found.length > 50) console.error(`  ... and ${found.length - 50} more`);
  process.exit(1);
}
console.log(`check-dist: no test code in ${path.relative(root, dist) || dist}`);
