// The two guards that keep test code out of what electron-builder packages: tools/check-dist.js
// (run by `npm test` after building) and the exclusions tools/check-builder-config.js insists on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir';

const ROOT = path.resolve(__dirname, '../..');
const dir = tempDir('payops-packaging-checks-');

function node(script: string, arg: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'tools', script), arg], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

function fakeDist(name: string, files: string[]): string {
  const d = path.join(dir, name);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), '');
  }
  return d;
}

const PRODUCT = ['electron/main.js', 'electron/core/engine/engineWorker.js', 'shared/api.js', 'bench/events.js'];

describe('tools/check-dist.js', () => {
  it('accepts a build of product code only', () => {
    const r = node('check-dist.js', fakeDist('clean', PRODUCT));
    expect(r.out).toContain('no test code');
    expect(r.code).toBe(0);
  });

  it.each([
    ['electron/faults/faultKit.js', 'faults/'],
    ['shared/testing/emptySnapshot.js', 'testing/'],
    ['electron/testSupport/tempDir.js', 'testSupport'],
    ['electron/core/alerts/alertTestKit.js', 'TestKit'],
    ['electron/core/store/eventWriter.test.js', '*.test.js'],
    ['test/support/cli.js', 'test/'],
  ])('refuses %s', (file, what) => {
    const r = node('check-dist.js', fakeDist(`bad-${path.basename(file)}`, [...PRODUCT, file]));
    expect(r.code).toBe(1);
    expect(r.out).toContain(file);
    expect(r.out).toContain(what);
  });
});

describe('tools/check-builder-config.js', () => {
  const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');

  it('accepts the committed electron-builder.yml', () => {
    expect(node('check-builder-config.js', path.join(ROOT, 'electron-builder.yml')).code).toBe(0);
  });

  it.each(['!dist/**/*.test.js', '!dist/**/faults/**', '!dist/**/testing/**', '!dist/**/testSupport/**', '!dist/**/*TestKit*', '!dist/test/**'])(
    'insists that files exclude %s',
    (pattern) => {
      const line = `  - "${pattern}"\n`;
      expect(yml).toContain(line);
      const file = path.join(dir, `builder-${pattern.replace(/\W+/g, '_')}.yml`);
      fs.writeFileSync(file, yml.replace(line, ''));
      const r = node('check-builder-config.js', file);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`files must exclude test code with ${pattern}`);
    },
  );
});
