// Maps a request path onto a file under the renderer folder, refusing anything outside it.
import * as fs from 'node:fs';
import * as path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticResolution =
  | { kind: 'file'; file: string }
  | { kind: 'bad-request' }
  | { kind: 'forbidden' }
  | { kind: 'not-found' };

/**
 * Resolves a URL path (no query) against rootDir. Rejects encoded separators, NUL, `..`
 * segments, dot-files, and (after realpath) anything whose real location is outside rootDir,
 * so symlinks cannot lead out either. `/` and extension-less paths give index.html (SPA routes).
 */
export function resolveStaticPath(rootDir: string, urlPath: string): StaticResolution {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad-request' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-request' };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'forbidden' };
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'forbidden' };
  // Windows drive letters and device names never name renderer files.
  if (segments.some((s) => s.includes(':'))) return { kind: 'forbidden' };

  const last = segments[segments.length - 1];
  const rel = segments.length === 0 || !path.extname(last ?? '') ? 'index.html' : segments.join('/');

  const root = realpathOrNull(rootDir);
  if (!root) return { kind: 'not-found' };
  const candidate = path.resolve(root, rel);
  if (!isInside(root, candidate)) return { kind: 'forbidden' };
  const real = realpathOrNull(candidate);
  if (!real) return { kind: 'not-found' };
  if (!isInside(root, real)) return { kind: 'forbidden' };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch {
    return { kind: 'not-found' };
  }
  if (!stat.isFile()) return { kind: 'not-found' };
  return { kind: 'file', file: real };
}

function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
