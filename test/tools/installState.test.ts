// tools/ensureSetup.js decides whether `npm start` and `npm test` install dependencies first.
// A node_modules that links into another tree must never be reinstalled through the link:
// `npm ci` empties it, and with it the other tree's install (it happened to a developer).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installState } = require('../../tools/ensureSetup.js') as { installState: (root: string) => string };

const dirs: string[] = [];
function tree(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-install-'));
  dirs.push(d);
  fs.writeFileSync(path.join(d, 'package-lock.json'), '{}');
  return d;
}
function installAt(dir: string, ageSeconds: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, '.package-lock.json');
  fs.writeFileSync(f, '{}');
  const t = Date.now() / 1000 + ageSeconds;
  fs.utimesSync(f, t, t);
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('installState', () => {
  it('is stale without node_modules, and with an install older than the lock', () => {
    const root = tree();
    expect(installState(root)).toBe('stale');
    installAt(path.join(root, 'node_modules'), -3600);
    expect(installState(root)).toBe('stale');
  });

  it('is current when the install is as new as the lock or newer', () => {
    const root = tree();
    installAt(path.join(root, 'node_modules'), 60);
    expect(installState(root)).toBe('current');
  });

  it('refuses to call a linked install stale: it is another tree\'s, and stays as it is', () => {
    const owner = tree();
    installAt(path.join(owner, 'node_modules'), -3600);
    const root = tree();
    fs.symlinkSync(path.join(owner, 'node_modules'), path.join(root, 'node_modules'));
    expect(installState(root)).toBe('linked-stale');
    // Linked and up to date is simply current.
    installAt(path.join(owner, 'node_modules'), 60);
    expect(installState(root)).toBe('current');
  });
});
