// Shared by `npm start` and `npm test`: installs dependencies and builds when needed, so both
// commands work on a fresh checkout. Plain Node, no dependencies of its own.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, options = {}) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '1', ...options.env } });
}

function newestMtime(dir, skip = new Set(['node_modules', 'dist', 'dist-renderer', '.git', 'release', 'test-results'])) {
  let newest = 0;
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return newest;
}

/**
 * 'current' when node_modules holds the committed lock's install, 'stale' when it must be
 * installed, 'linked-stale' when it is stale but node_modules is a link into another tree:
 * `npm ci` there would empty that tree's install, so it is left for its owner to update.
 */
function installState(root = ROOT) {
  const modules = path.join(root, 'node_modules');
  const installed = path.join(modules, '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return 'current';
  const linked = fs.existsSync(modules) && fs.lstatSync(modules).isSymbolicLink();
  return linked ? 'linked-stale' : 'stale';
}

function ensureDependencies() {
  const state = installState();
  if (state === 'linked-stale') {
    console.warn(`node_modules is a link to ${fs.realpathSync(path.join(ROOT, 'node_modules'))}, older than package-lock.json: not reinstalling through it (run npm ci in that tree if the lock changed)`);
  } else if (state === 'stale') {
    // The one install command (also .ci/run and the README): exactly the committed lock.
    run(npm, ['ci', '--no-audit', '--no-fund']);
  }
}

function ensureBuilt({ force = false } = {}) {
  // Built = the oldest of the two build outputs; rebuild when any source is newer.
  const outputs = [path.join(ROOT, 'dist', 'electron', 'cli', 'main.js'), path.join(ROOT, 'dist-renderer', 'index.html')];
  const built = outputs.every((f) => fs.existsSync(f)) ? Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs)) : 0;
  const sources = Math.max(...['electron', 'renderer', 'shared', 'bench'].map((d) => newestMtime(path.join(ROOT, d))), fs.statSync(path.join(ROOT, 'package.json')).mtimeMs);
  if (force || built < sources) {
    run(npm, ['run', 'build']);
  }
}

module.exports = { ROOT, npm, run, installState, ensureDependencies, ensureBuilt };
