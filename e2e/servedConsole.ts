// Fixture: `payops serve` (the built CLI) against the real broker and a fresh database, with
// its own exchange and queue, and the page opened at the URL it prints (token included).
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteTopology } from '../test/support/broker';

export const AMQP_URL = process.env.PAYOPS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');

export interface ServedConsole {
  url: string;
  exchange: string;
  queue: string;
  watchQueue: string;
  dbFile: string;
  dir: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** Fills the database before the console opens it (a seeded store instead of a scenario run through the broker). */
  seed?: (dbFile: string) => Promise<void>;
}

export async function startConsole(extraArgs: string[] = [], options: StartOptions = {}): Promise<ServedConsole> {
  const id = randomUUID().slice(0, 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-'));
  const exchange = `t.e2e.${id}.x`;
  const queue = `t.e2e.${id}.q`;
  const watchQueue = `t.e2e.${id}.work`;
  const dbFile = path.join(dir, 'live.db');
  await options.seed?.(dbFile);
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', dbFile, '--amqp', AMQP_URL,
    '--exchange', exchange, '--queue', queue, '--bind', '#', '--watch', watchQueue, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAYOPS_HOME: dir },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`payops serve printed no URL: ${out}`)), 30_000);
    const check = () => {
      const m = /payops console: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`payops serve exited ${code}: ${out}`)));
  });
  return {
    url, exchange, queue, watchQueue, dbFile, dir, process: child,
    log: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
      // The console's durable queue and exchange outlive it: a shared broker would keep one of each per test.
      await deleteTopology({ exchange, queue }, AMQP_URL, [watchQueue]);
    },
  };
}

export const test = base.extend<{ served: ServedConsole; consolePage: Page }>({
  served: async ({}, use) => {
    const served = await startConsole();
    await use(served);
    await served.stop();
  },
  consolePage: async ({ page, served }, use) => {
    await page.goto(served.url);
    // serve prints its URL before the broker connection declares the exchange: a test that
    // publishes at once could find no exchange (404 NOT_FOUND). Connected, the topology is there.
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    await use(page);
  },
});

export { expect } from '@playwright/test';
