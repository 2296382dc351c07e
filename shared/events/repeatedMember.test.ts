import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { repeatedMemberName, repeatedMemberOf } from './repeatedMember';

// A plain reference: a recursive-descent reader of JSON text that returns the first top-level
// name written a second time (escapes decoded), or null. Slow and obvious on purpose.
function referenceRepeatedName(text: string): string | null {
  let i = 0;
  const ws = () => {
    while (' \t\n\r'.includes(text[i] ?? 'x')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '"') str();
    else if (c === '{') members(null);
    else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else
        for (;;) {
          value();
          ws();
          if (text[i++] === ']') break;
        }
    } else while (i < text.length && !',]} \t\n\r'.includes(text[i])) i++;
  };
  const members = (seen: Set<string> | null): string | null => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return null;
    }
    let repeated: string | null = null;
    for (;;) {
      ws();
      const name = str();
      if (seen && repeated === null) {
        if (seen.has(name)) repeated = name;
        seen.add(name);
      }
      ws();
      i++; // ':'
      value();
      ws();
      if (text[i++] === '}') return repeated;
    }
  };
  ws();
  return members(new Set());
}

// JSON values whose objects are member lists (names may repeat), written with chosen spacing
// and with names and strings escaped in chosen ways.
type Tree = { kind: 'obj'; members: [string, Tree][] } | { kind: 'arr'; items: Tree[] } | { kind: 'str'; s: string } | { kind: 'num'; n: number };

const NAMES = ['id', 'source', 'data', 'a', 'b', ':', '":', '"', '\\', ' ', 'x:y', '\u00e9', '__proto__', '0', ''];
const STRINGS = ['', ':', '":', '\\":', 'a: b', ' "x": 1', '12:00:00', '"', '\\', 'plain', '\u00e9:'];

const tree: fc.Memo<Tree> = fc.memo((n) =>
  n <= 1
    ? fc.oneof(fc.constantFrom(...STRINGS).map((s) => ({ kind: 'str' as const, s })), fc.integer().map((v) => ({ kind: 'num' as const, n: v })))
    : fc.oneof(
        { weight: 2, arbitrary: fc.array(fc.tuple(fc.constantFrom(...NAMES), tree(n - 1)), { maxLength: 5 }).map((members) => ({ kind: 'obj' as const, members })) },
        { weight: 1, arbitrary: fc.array(tree(n - 1), { maxLength: 3 }).map((items) => ({ kind: 'arr' as const, items })) },
        { weight: 1, arbitrary: tree(1) },
      ),
);

interface Style {
  /** Whitespace written at each place whitespace may stand, taken in turn. */
  spaces: string[];
  /** Whether each string is written with every character \u-escaped, taken in turn. */
  escape: boolean[];
}

function write(t: Tree, style: Style, counter: { n: number }): string {
  const sp = () => style.spaces[counter.n++ % style.spaces.length];
  const quoted = (s: string) => (style.escape[counter.n++ % style.escape.length] ? `"${[...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(s));
  switch (t.kind) {
    case 'str':
      return quoted(t.s);
    case 'num':
      return String(t.n);
    case 'arr':
      return `[${sp()}${t.items.map((x) => `${write(x, style, counter)}${sp()}`).join(`,${sp()}`)}]`;
    case 'obj':
      return `{${sp()}${t.members.map(([k, v]) => `${quoted(k)}${sp()}:${sp()}${write(v, style, counter)}${sp()}`).join(`,${sp()}`)}}`;
  }
}

const topObject = fc.array(fc.tuple(fc.constantFrom(...NAMES), tree(4)), { maxLength: 8 }).map((members): Tree => ({ kind: 'obj', members }));
const style = fc.record({
  spaces: fc.array(fc.constantFrom('', '', '', ' ', '\t', '\n', '\r\n'), { minLength: 1, maxLength: 6 }),
  escape: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
});

describe('repeatedMemberOf', () => {
  it('agrees with a plain reader on generated JSON (repeated and escaped names at any depth, spacing, strings holding quotes and colons)', () => {
    fc.assert(
      fc.property(topObject, style, (t, s) => {
        const text = write(t, s, { n: 0 });
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const expected = referenceRepeatedName(text);
        expect(repeatedMemberOf(text, parsed)).toBe(expected);
        let names = 0;
        for (const _ in parsed) names++;
        expect(repeatedMemberName(text, names)).toBe(expected);
      }),
      { numRuns: 20000 },
    );
  });

  it('refuses a top-level name repeated with escapes, and only the top level', () => {
    const cases: [string, string | null][] = [
      ['{"id":"a","\\u0069d":"b"}', 'id'],
      ['{"\\u0069d":"a","id":"b"}', 'id'],
      ['{"id" :"a","id":"b"}', 'id'],
      ['{"a":"\\":","a":1}', 'a'],
      ['{"a":":","b":"x\\":"}', null],
      ['{"data":{"id":1,"id":2},"id":"x"}', null],
      ['{"data":{"id":1,"\\u0069d":2}}', null],
      ['{"a":1,"b":{"c":[{"d":1,"d":2}]},"b":3}', 'b'],
      ['{"a":"x","b":"y" , "a" :"z"}', 'a'],
    ];
    for (const [text, expected] of cases) expect(repeatedMemberOf(text, JSON.parse(text) as Record<string, unknown>), text).toBe(expected);
  });

  it('reads a tree past the counted limit member by member (300 nested containers)', () => {
    const text = `{"a":${'['.repeat(300)}${']'.repeat(300)},"a":1}`;
    expect(repeatedMemberOf(text, JSON.parse(text) as Record<string, unknown>)).toBe('a');
    const distinct = `{"a":${'['.repeat(300)}${']'.repeat(300)},"b":1}`;
    expect(repeatedMemberOf(distinct, JSON.parse(distinct) as Record<string, unknown>)).toBeNull();
  });
});
