// `payops replay CAPTURE --rules FILE` (issue 5): a rules file that cannot be used is bad input,
// exit 1 (replay's help and the README's exit codes), refused before the session database is
// created, as `collect --rules` refuses it. It exited 4 ("anything else") after creating --db.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-replay-rules-');
const demo = path.resolve(__dirname, '../core/demo/paysim-demo.ndjson.gz');

describe('replay --rules with a file it cannot use', () => {
  it.each([
    ['invalid', 'rules:\n  - name: x\n    expr: nope\n', /rule "x" \(rules\[0\]\) field severity: is required/],
    ['missing', null, /cannot read/],
  ])('%s: exit 1 naming the problem, no database created', async (what, text, message) => {
    const rules = path.join(dir, `${what}.yaml`);
    if (text !== null) fs.writeFileSync(rules, text);
    const db = path.join(dir, `${what}.db`);
    const r = await runPayops(['replay', demo, '--db', db, '--rules', rules, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(db)).toBe(false);
  });
});
