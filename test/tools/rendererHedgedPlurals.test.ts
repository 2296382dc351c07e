// No text in the renderer hedges a count's noun ("message(s)", "segment(s)"): a count says its
// noun in the right form through shared/countText.ts, as the CLI and the report do. This reads
// the renderer's sources (not the tests), so a new hedge is caught where it is written. It sits
// with the repository's other source checks: the renderer's own tests do not read files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesInSource, hedgesInText, hedgesUnder } from '../support/hedgedPlurals';

const ROOT = join(__dirname, '../../renderer/src');

describe('hedged plurals', () => {
  it('no renderer source writes a noun as "noun(s)"', () => {
    expect(hedgesUnder(ROOT)).toEqual([]);
  });

  it('the scan finds a hedge and passes the URL scheme', () => {
    expect(hedgesInText('Redriven 3 message(s)')).toEqual(['message(s)']);
    expect(hedgesInText('an http(s) URL, 2 match(es)')).toEqual(['match(es)']);
  });

  it('the scan reads string literals, template strings and JSX text, not code nor comments', () => {
    const tsx = [
      "const a = `${n} segment(s)${more}`; const b = 'retrying (2 more attempt(s))';",
      'const c = `returned ${k} message(s); declaring it again`;',
      'const d = <p>{n} rule(s) evaluated</p>;',
      '// 2 alert(s) in a comment',
      'new Set(s); onSelect(s)} String(s)) expire(s).then',
    ].join('\n');
    expect(hedgesInSource(tsx, 'x.tsx')).toEqual([
      { line: 1, hedge: 'segment(s)' },
      { line: 1, hedge: 'attempt(s)' },
      { line: 2, hedge: 'message(s)' },
      { line: 3, hedge: 'rule(s)' },
    ]);
  });
});
