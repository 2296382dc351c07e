// The desktop app prints reports with Electron's printToPDF rather than a separate
// Chromium. Pure parts only (no electron import, DESIGN.md): the request filter and
// writing the file so no partial PDF is left (core/atomicFile: temp file, fsync, rename).
export { writeFileAtomically } from '../core/atomicFile';

/** The report is self-contained: the only load allowed is its own data: URL. */
export function reportRequestAllowed(url: string): boolean {
  return url.startsWith('data:text/html');
}

export function reportDataUrl(html: string): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}
