import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's chromium (never a downloaded browser). Flags keep it off the closed network.
export const CHROMIUM = process.env.PAYOPS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const reporters: NonNullable<Parameters<typeof defineConfig>[0]['reporter']> = [['list']];
if (process.env.PAYOPS_PLAYWRIGHT_JSON) reporters.push(['json']);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: reporters,
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: fs.existsSync(CHROMIUM) ? CHROMIUM : undefined,
      args: CHROMIUM_ARGS,
    },
    screenshot: 'only-on-failure',
  },
});
