// PDF from the report's HTML, printed by a local Chromium through playwright-core (the CLI
// and the web host; the desktop app can use Electron's printToPDF on the same HTML). The
// page is loaded with every request refused: the HTML is self-contained.
import fs from 'node:fs';

export class NoChromiumError extends Error {
  readonly kind = 'NoChromiumError';
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

/** The Chromium to print with: PAYOPS_CHROMIUM, else a usual install path; null when none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.PAYOPS_CHROMIUM;
  if (configured) return fs.existsSync(configured) ? configured : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Prints `html` to `outFile` (A4). `signal` aborts (the browser is closed). */
export async function htmlToPdf(html: string, outFile: string, signal?: AbortSignal): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new NoChromiumError(
      process.env.PAYOPS_CHROMIUM
        ? `no Chromium at PAYOPS_CHROMIUM=${process.env.PAYOPS_CHROMIUM}: PDF export needs Chromium (or export .html and print it)`
        : 'no Chromium found (looked in /usr/bin/chromium and similar; set PAYOPS_CHROMIUM): PDF export needs Chromium (or export .html and print it)',
    );
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const onAbort = () => void browser.close().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    if (signal?.aborted) throw new Error('cancelled');
    await page.pdf({
      path: outFile,
      format: 'A4',
      printBackground: true,
      margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#6b7280"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await browser.close().catch(() => undefined);
  }
}
