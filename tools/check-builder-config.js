#!/usr/bin/env node
// Validates electron-builder.yml against electron-builder's own JSON schema
// (node_modules/app-builder-lib/scheme.json, with the ajv options electron-builder uses),
// plus the few settings payops relies on. Exits 1 on any problem.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const configFile = path.resolve(root, process.argv[2] || 'electron-builder.yml');

function fail(lines) {
  console.error(`check-builder-config: ${path.relative(root, configFile)} is invalid`);
  for (const l of lines) console.error(`  - ${l}`);
  process.exit(1);
}

let Ajv;
let YAML;
try {
  Ajv = require('ajv').default || require('ajv');
  YAML = require('yaml');
} catch (error) {
  console.error(`check-builder-config: needs ajv and yaml from node_modules (npm ci): ${error.message}`);
  process.exit(2);
}
const schemaFile = require.resolve('app-builder-lib/scheme.json', { paths: [root] });
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));

let config;
try {
  const doc = YAML.parseDocument(fs.readFileSync(configFile, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) fail(doc.errors.map((e) => e.message));
  config = doc.toJS();
} catch (error) {
  fail([error.message]);
}
if (!config || typeof config !== 'object' || Array.isArray(config)) fail(['the file must hold a mapping']);

// Same options as app-builder-lib/out/util/config/schemaValidator.js.
const ajv = new Ajv({ allErrors: true, verbose: false, coerceTypes: true, strict: false });
const validate = ajv.compile(schema);
const problems = [];
if (!validate(structuredClone(config))) {
  const specific = validate.errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  for (const e of specific.length > 0 ? specific : validate.errors) {
    const where = `configuration${e.instancePath.replace(/\//g, '.')}`;
    const extra = e.keyword === 'additionalProperties' ? ` (unknown option "${e.params.additionalProperty}")` : '';
    problems.push(`${where} ${e.message}${extra}`);
  }
}

// What payops depends on.
const expect = (ok, message) => {
  if (!ok) problems.push(message);
};
const files = Array.isArray(config.files) ? config.files : [];
expect(config.appId === 'com.payops.console', 'appId must be com.payops.console');
expect(config.productName === 'payops', 'productName must be payops');
expect(config.directories && config.directories.output === 'release', 'directories.output must be release');
for (const f of ['dist/**', 'dist-renderer/**', 'package.json']) expect(files.includes(f), `files must include ${f}`);
// Test code never ships (tools/check-dist.js checks dist/ itself after every build).
for (const f of ['!dist/**/*.test.js', '!dist/**/faults/**', '!dist/**/testing/**', '!dist/**/testSupport/**', '!dist/**/*TestKit*', '!dist/test/**']) {
  expect(files.includes(f), `files must exclude test code with ${f}`);
}
expect(config.asar === true, 'asar must be true');
const unpack = [].concat(config.asarUnpack || []);
expect(unpack.some((p) => p.includes('better-sqlite3') && p.includes('.node')), "asarUnpack must unpack better-sqlite3's .node addon");
expect(config.npmRebuild !== false, 'npmRebuild must not be false (better-sqlite3 is rebuilt for Electron)');
const linuxTargets = [].concat((config.linux && config.linux.target) || []).map((t) => (typeof t === 'string' ? t : t.target));
for (const t of ['AppImage', 'deb']) expect(linuxTargets.includes(t), `linux.target must include ${t}`);
expect([].concat((config.win && config.win.target) || []).some((t) => (typeof t === 'string' ? t : t.target) === 'nsis'), 'win.target must include nsis');
expect([].concat((config.mac && config.mac.target) || []).some((t) => (typeof t === 'string' ? t : t.target) === 'dmg'), 'mac.target must include dmg');
expect(config.mac && config.mac.category === 'public.app-category.finance', 'mac.category must be public.app-category.finance');

if (problems.length > 0) fail(problems);
const version = require(require.resolve('app-builder-lib/package.json', { paths: [root] })).version;
console.log(`check-builder-config: ${path.relative(root, configFile)} is valid (electron-builder ${version} schema)`);
