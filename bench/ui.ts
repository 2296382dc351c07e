// bench:ui — (1) time from starting the console (`node tools/start.js`, as `npm start` does,
// already built) to a live dashboard showing events; (2) renderer frame times and long tasks
// in Debian's Chromium while 20,000 events/s flow (demo session at that rate), side by side
// with the same dashboard idle: prints both and the ratio, and the renderer main thread's busy
// time per second (Chromium's own task and script durations), finer than counting long tasks.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, REPO, consoleUrl } from './benchSupport';
import { benchSevenDayRange } from './dashboardRange';

const RATE = Number(process.env.BENCH_UI_RATE ?? 20_000);
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? 15);

function startConsole(home: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [path.join(REPO, 'tools', 'start.js'), '--demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAYOPS_HOME: home, PAYOPS_AMQP_URL: 'amqp://127.0.0.1:1' },
  });
  const url = consoleUrl(child, 'console');
  return { child, url };
}

/** Frame intervals (requestAnimationFrame) and long tasks over `seconds`, measured in the page. */
async function frameStats(page: Page, seconds: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: of('TaskDuration'), script: of('ScriptDuration'), at: performance.now() };
  };
  const from = await busy();
  const stats = await pageFrameStats(page, seconds);
  const to = await busy();
  await cdp.detach();
  const perSecond = (k: 'task' | 'script') => ((to[k] - from[k]) * 1000) / ((to.at - from.at) / 1000);
  return { ...stats, taskMsPerSecond: perSecond('task'), scriptMsPerSecond: perSecond('script') };
}

async function pageFrameStats(page: Page, seconds: number) {
  return page.evaluate(async (ms) => {
    // Runs in the page: browser globals, typed loosely because this file compiles for Node.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const { PerformanceObserver, requestAnimationFrame, performance } = globalThis as any;
    const frames: number[] = [];
    const longTasks: number[] = [];
    const obs = new PerformanceObserver((list: { getEntries(): { duration: number }[] }) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    obs.observe({ type: 'longtask', buffered: false });
    await new Promise<void>((resolve) => {
      let last = performance.now();
      const end = last + ms;
      const tick = (t: number) => {
        frames.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    obs.disconnect();
    frames.sort((a, b) => a - b);
    const q = (p: number) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))];
    return { frames: frames.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), longTasks: longTasks.length, longTaskMs: longTasks.reduce((a, b) => a + b, 0) };
  }, seconds * 1000);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-ui-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    await benchLiveDashboard(browser, home);
    // The 7-day switch is measured on its own database once the 20,000 events/s console has
    // exited: two consoles on two cores would measure each other (figures before 2026-12-02 did).
    if (process.env.BENCH_UI_SKIP_7D !== '1') await benchSevenDayRange(browser);
  } finally {
    await browser.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** Parts 1 and 2: startup, then frame times idle and at RATE events/s; the console has exited on return. */
async function benchLiveDashboard(browser: Browser, home: string): Promise<void> {
  const started = Date.now();
  const { child, url } = startConsole(home);
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(await url);
    await page.getByTestId('kpi-events-per-second').and(page.locator('[data-value]:not([data-value=""]):not([data-value="0"])')).waitFor({ timeout: 60_000 });
    const startupMs = Date.now() - started;
    console.log(`startup: ${startupMs} ms from starting the console (built) to a live dashboard with events`);

    // Every chart on screen (the range charts below the KPI tiles too) while measuring.
    await page.setViewportSize({ width: 1920, height: 2600 });
    await page.getByTestId('panel-decisions').waitFor({ timeout: 60_000 });
    // Ceiling: the same dashboard with nothing flowing.
    await invoke(page, 'demo.stop', {});
    await page.waitForTimeout(2000);
    const idle = await frameStats(page, SECONDS);
    await invoke(page, 'demo.start', { scenario: 'normal', rate: RATE });
    await page.waitForTimeout(3000);
    const before = (await invoke(page, 'engine.snapshot', {})) as { at: number; totals: { events: number } };
    const loaded = await frameStats(page, SECONDS);
    const after = (await invoke(page, 'engine.snapshot', {})) as { at: number; totals: { events: number } };
    const rate = (after.totals.events - before.totals.events) / ((after.at - before.at) / 1000);
    console.log(`idle dashboard:        frames ${idle.frames}, frame time p50 ${idle.p50.toFixed(1)} ms, p95 ${idle.p95.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms, long tasks ${idle.longTasks} (${idle.longTaskMs.toFixed(0)} ms)`);
    console.log(`at ${RATE} events/s target (stored ${Math.round(rate)}/s while measuring): frames ${loaded.frames}, p50 ${loaded.p50.toFixed(1)} ms, p95 ${loaded.p95.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms, long tasks ${loaded.longTasks} (${loaded.longTaskMs.toFixed(0)} ms)`);
    console.log(`ratio loaded/idle: p95 frame time ${(loaded.p95 / idle.p95).toFixed(2)}, frames delivered ${(loaded.frames / idle.frames).toFixed(2)}`);
    console.log(`renderer main thread per second, idle / loaded: busy ${idle.taskMsPerSecond.toFixed(0)} / ${loaded.taskMsPerSecond.toFixed(0)} ms, script ${idle.scriptMsPerSecond.toFixed(0)} / ${loaded.scriptMsPerSecond.toFixed(0)} ms`);
    await page.close();
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Calls the console's API the way the renderer does, over its own WebSocket. */
async function invoke(page: Page, name: string, args: unknown): Promise<unknown> {
  return page.evaluate(
    ([n, a]) =>
      new Promise((resolve, reject) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const { WebSocket, location } = globalThis as any;
        const ws = new WebSocket(`ws://${location.host}/api${location.search}`);
        ws.onopen = () => ws.send(JSON.stringify({ kind: 'request', id: 1, name: n, args: a }));
        ws.onmessage = (e: { data: string }) => {
          const m = JSON.parse(e.data as string);
          if (m.kind === 'response') {
            ws.close();
            if (m.ok) resolve(m.result);
            else reject(new Error(m.error));
          }
        };
        ws.onerror = () => reject(new Error('socket error'));
      }),
    [name, args] as const,
  );
}

main().catch((err) => {
  console.error(`bench:ui failed: ${(err as Error).message}`);
  process.exit(1);
});
