// bench:ui, part 3 — switching the dashboard to a 7-day range on a database holding the
// rollups of BENCH_DASH_EVENTS (10 M) events over the last 7 days, side by side with switching
// to 15 minutes on the same page (the ceiling: the same request, render and charts over a
// window of 15 rows). The per-minute rollups are written by the ingest's own code
// (MinuteRollupBatch, as the ingest transaction does); the events table is left empty because
// the dashboard never reads it (its answers say source: 'rollup_minute').
import type { Browser, Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NormalizedEvent } from '../shared/events/eventTypes';
import { openDatabase } from '../electron/core/store/database';
import { MinuteRollupRepository } from '../electron/core/store/minuteRollupRepository';
import { PAYOPS_BIN, consoleUrl } from './benchSupport';

const EVENTS = Number(process.env.BENCH_DASH_EVENTS ?? 10_000_000);
const DAY = 24 * 3600_000;

export function fillRollups(dbFile: string, now: number): void {
  const db = openDatabase(dbFile);
  const repo = new MinuteRollupRepository(db);
  const minutes = 7 * 24 * 60;
  const perMinute = Math.ceil(EVENTS / minutes);
  const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'BRL'];
  const codes = ['05', '51', '14', '54', '61', '91', '65', '57'];
  const decisions = ['approve', 'review', 'block'] as const;
  const e = { category: 'payment', type: '', currency: null, amount: null, declineCode: null, decision: null, score: null, latencyMs: null } as unknown as NormalizedEvent;
  const first = Math.floor((now - 7 * DAY) / 60_000);
  let seed = 1;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const writeDay = db.transaction((fromMin: number, toMin: number) => {
    for (let m = fromMin; m < toMin; m++) {
      const batch = repo.batch();
      for (let i = 0; i < perMinute; i++) {
        const r = rnd();
        const t = m * 60_000 + Math.floor(rnd() * 60_000);
        if (r < 0.5) {
          e.category = 'risk';
          e.type = 'risk.scored';
          e.decision = decisions[Math.floor(rnd() * 3)];
          e.score = Math.floor(rnd() * 100);
          e.latencyMs = null;
        } else {
          e.category = 'payment';
          e.type = r < 0.85 ? 'payment.authorized' : r < 0.97 ? 'payment.declined' : 'payment.failed';
          e.currency = currencies[Math.floor(rnd() * currencies.length)];
          e.amount = Math.floor(rnd() * 100_000);
          e.declineCode = codes[Math.floor(rnd() * codes.length)];
          e.latencyMs = Math.round(30 + rnd() * rnd() * 3000);
        }
        batch.observe(e, t);
        // Approval per payment: about one decided attempt in ten is a retry of a payment already counted.
        if ((e.type === 'payment.authorized' || e.type === 'payment.declined') && rnd() < 0.9) {
          batch.addPayment(Math.floor(t / 1000), 'started', 1);
          if (e.type === 'payment.authorized') batch.addPayment(Math.floor(t / 1000), 'approved', 1);
        }
      }
      batch.flush();
    }
  });
  for (let d = 0; d < 7 * 24; d++) writeDay(first + d * 60, first + (d + 1) * 60);
  db.close();
}

/** Milliseconds from pressing a range button to every panel showing that range's answer, painted. */
async function switchTime(page: Page, buttonTestId: string, spanMs: number): Promise<number> {
  return page.evaluate(
    async ([id, span]) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { document, performance, requestAnimationFrame } = globalThis as any;
      const shown = () => {
        const el = document.querySelector('[data-testid="range-charts"]');
        const from = Number(el?.getAttribute('data-from'));
        const to = Number(el?.getAttribute('data-to'));
        // every panel: they draw one after another, each in a task of its own
        const panels = [...document.querySelectorAll('.chart-grid > section[data-window]')] as { getAttribute(n: string): string | null }[];
        const drawn = panels.length === 5 && panels.every((p) => p.getAttribute('data-window') === `${from}/${to}`);
        return to - from === span && drawn && Number(document.querySelector('[data-testid="rates-chart"]')?.getAttribute('data-points')) > 0;
      };
      const start = performance.now();
      document.querySelector(`[data-testid="${id}"]`).click();
      await new Promise<void>((resolve) => {
        const check = () => (shown() ? resolve() : requestAnimationFrame(check));
        check();
      });
      // one more frame: the charts have been painted
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - start;
    },
    [buttonTestId, spanMs] as const,
  );
}

export async function benchSevenDayRange(browser: Browser): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-ui7d-'));
  const dbFile = path.join(home, 'live.db');
  const now = Date.now();
  const t0 = Date.now();
  fillRollups(dbFile, now);
  const rows = EVENTS;
  console.log(`7-day range: rollups of ${rows.toLocaleString('en')} events over 7 days written in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(dbFile).size / 1e6).toFixed(0)} MB)`);
  const child = spawn(process.execPath, [PAYOPS_BIN, 'serve', '--port', '0', '--db', dbFile, '--amqp', 'amqp://127.0.0.1:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAYOPS_HOME: home },
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 2600 } });
    await page.goto(await consoleUrl(child, 'payops serve'));
    // From a dashboard that has drawn its first range (an operator switches from what they see),
    // not while the page is still loading it.
    await page.waitForFunction(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { document } = globalThis as any;
      const panels = [...document.querySelectorAll('.chart-grid > section[data-window]')] as { getAttribute(n: string): string | null }[];
      return panels.length === 5 && panels.every((p) => p.getAttribute('data-window') === panels[0].getAttribute('data-window'));
    });
    const runs: { week: number; quarter: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const week = await switchTime(page, 'range-7d', 7 * DAY);
      const quarter = await switchTime(page, 'range-15m', 15 * 60_000);
      runs.push({ week, quarter });
    }
    const best = (k: 'week' | 'quarter') => Math.min(...runs.map((r) => r[k]));
    const worst = (k: 'week' | 'quarter') => Math.max(...runs.map((r) => r[k]));
    console.log(`switch to 7 d (rollups only): best ${best('week').toFixed(0)} ms, worst ${worst('week').toFixed(0)} ms of ${runs.length} (target < 500 ms)`);
    console.log(`switch to 15 m (ceiling, same page): best ${best('quarter').toFixed(0)} ms, worst ${worst('quarter').toFixed(0)} ms`);
    console.log(`ratio 7 d / 15 m (worst): ${(worst('week') / worst('quarter')).toFixed(2)}`);
    // The first switch is the cold one (code not yet compiled for a long range): say which was worst.
    console.log(`each switch in order, 7 d / 15 m: ${runs.map((r) => `${r.week.toFixed(0)} / ${r.quarter.toFixed(0)}`).join(', ')} ms`);
    await page.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(home, { recursive: true, force: true });
  }
}
