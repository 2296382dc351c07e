// ARCHITECTURE.md matches the code: every repository path it names exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Paths the document names: `backticked` text that looks like a path of ours. */
export function namedPaths(markdown: string): string[] {
  const found = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\s]+)`/g)) {
    const p = m[1];
    if (/^(electron|shared|renderer|e2e|bench|tools|test)\/[\w./-]*$/.test(p) || /^[\w.-]+\.(md|mjs|json|yml)$/.test(p)) found.add(p.replace(/\/$/, ''));
  }
  return [...found];
}

describe('ARCHITECTURE.md', () => {
  it('names only files and folders that exist', () => {
    const named = namedPaths(fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((p) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it('would notice a file that is not there', () => {
    expect(namedPaths('see `electron/core/nowhere.ts` and `shared/api.ts`')).toEqual(['electron/core/nowhere.ts', 'shared/api.ts']);
  });
});
