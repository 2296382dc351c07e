// No text in the renderer hedges a count's noun ("message(s)", "segment(s)"): a count says its
// noun in the right form through shared/countText.ts, as the CLI and the report do. This reads
// the renderer's sources (not the tests), so a new hedge is caught where it is written. It sits
// with the repository's other source checks: the renderer's own tests do not read files.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../renderer/src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [path] : [];
  });
}

// A word followed by "(s)" or "(es)" and then by text (a space, a quote, a tag, a sentence's
// end), not by code: `expire(s)}` and `new Set(s);` are calls on a variable s. "http(s)" names a
// URL scheme, not a count.
const HEDGE = /\b(?!https?\()[A-Za-z]+\(e?s\)(?=[\s'"`<$:]|\.(?![A-Za-z_])|$)/g;

describe('hedged plurals', () => {
  it('no renderer source writes a noun as "noun(s)"', () => {
    const found = sources(ROOT).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(HEDGE)].map((m) => `${relative(ROOT, file)}:${i + 1}: ${m[0]}`)),
    );
    expect(found).toEqual([]);
  });

  it('the scan finds a hedge and passes the URL scheme', () => {
    expect('Redriven 3 message(s)'.match(HEDGE)).toEqual(['message(s)']);
    expect('an http(s) URL, 2 match(es)'.match(HEDGE)).toEqual(['match(es)']);
    expect('`${n} segment(s)${more}`; {n} rule(s) evaluated; 2 alert(s).'.match(HEDGE)).toEqual(['segment(s)', 'rule(s)', 'alert(s)']);
    expect('new Set(s); onSelect(s)} String(s)) expire(s).then'.match(HEDGE)).toBeNull();
  });
});
