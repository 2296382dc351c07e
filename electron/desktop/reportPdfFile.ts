// The desktop app prints reports with Electron's printToPDF rather than a separate
// Chromium. Pure parts only (no electron import, DESIGN.md): the request filter and
// writing the file so no partial PDF is left.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The report is self-contained: the only load allowed is its own data: URL. */
export function reportRequestAllowed(url: string): boolean {
  return url.startsWith('data:text/html');
}

export function reportDataUrl(html: string): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}

/** Writes beside the target and renames, so a failure never leaves half a PDF. */
export async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await fs.promises.writeFile(tmp, bytes);
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}
