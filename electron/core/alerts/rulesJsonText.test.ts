// Rules files in JSON as editors write them: a UTF-8 byte order mark (Windows' Notepad writes
// one; RFC 8259 lets a parser ignore it) is read as the YAML loader reads it, and a name given
// twice in one object (two "rules" lists merged by hand, a rule with two "condition"s) is
// refused naming it, as a YAML file's repeated key is, instead of JSON.parse keeping the last
// and dropping the rules before it without a word.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRulesText } from '../../../shared/rulesText';
import { loadRoutingFile, loadRulesFile } from './loadRulesFile';

const dir = mkdtempSync(join(tmpdir(), 'payops-rules-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (name: string) => ({ name, description: 'declines rising', severity: 'critical', metric: 'decline_rate', condition: { above: '10%' }, window: '5m', for: '1m', groupBy: 'issuer', minVolume: 20 });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text, 'utf8');
  return path;
};

describe('rules files in JSON', () => {
  it('a byte order mark before the JSON is read as the YAML loader reads one', () => {
    const text = `\uFEFF${JSON.stringify({ version: 1, rules: [rule('declines')], contactPoints: [{ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook' }], policies: [{ contactPoint: 'hook', groupBy: ['issuer', 'acquirer'] }] }, null, 2)}`;
    const path = file('bom.json', text);
    expect(loadRulesFile(path).map((r) => [r.name, r.groupBy])).toEqual([['declines', 'issuer']]);
    expect(loadRoutingFile(path).policies.map((p) => p.groupBy)).toEqual([['issuer', 'acquirer']]);
    const v = validateRulesText(text, 'json');
    expect(v.issues).toEqual([]);
    expect(v.ok && v.rules.map((r) => r.name)).toEqual(['declines']);
  });

  it('a name repeated in one object is refused, naming it and where, not the last one kept', () => {
    // Two "rules" lists: JSON.parse kept the second (empty) one, so the file loaded with no rules at all.
    const twoLists = `{"version": 1, "rules": [${JSON.stringify(rule('declines'))}], "rules": []}`;
    expect(() => loadRulesFile(file('two-lists.json', twoLists))).toThrow(/not valid JSON: "rules" is given twice in the same object \(at the top level\)/);
    const v = validateRulesText(twoLists, 'json');
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.text)).toEqual(['rules file: not valid JSON: "rules" is given twice in the same object (at the top level); only one may be']);

    const { condition: _c, name: _n, ...rest } = rule('declines');
    const twoConditions = `{"version": 1, "rules": [{"name": "x", "condition": {"below": "1%"}, ${JSON.stringify(rest).slice(1, -1)}, "condition": {"above": "10%"}}]}`;
    expect(() => loadRulesFile(file('two-conditions.json', twoConditions))).toThrow(/"condition" is given twice in the same object \(at rules\[0\]\)/);
    expect(() => loadRoutingFile(file('two-conditions.json', twoConditions))).toThrow(/"condition" is given twice/);
  });

  it('the same name in different objects, and names inside string values, are fine', () => {
    const b = { ...rule('b'), description: 'says "name": "a", {"rules": [], "name": 1} \\ and [brackets]' };
    const text = JSON.stringify({ version: 1, rules: [rule('a'), b], contactPoints: [{ name: 'h', type: 'webhook', url: 'http://127.0.0.1:9/x' }], policies: [{ contactPoint: 'h', matchers: ['issuer=~"a\\":b"'] }] }, null, '\t');
    expect(loadRulesFile(file('fine.json', text)).map((r) => [r.name, r.description])).toEqual([
      ['a', 'declines rising'],
      ['b', b.description],
    ]);
    expect(validateRulesText(text, 'json').ok).toBe(true);
    // A name written with an escape is the same name.
    const escapedTwice = text.replace('"name": "b"', '"n\\u0061me": "x",\n"name": "b"');
    expect(escapedTwice).not.toBe(text);
    expect(validateRulesText(escapedTwice, 'json').issues.map((i) => i.text)).toEqual(['rules file: not valid JSON: "name" is given twice in the same object (at rules[1]); only one may be']);
  });
});
