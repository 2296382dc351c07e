// Exports mask e-mail addresses in any field and in free text (README, Security), but only as
// written plainly ("alice@example.com", "alice%40example.com"): one written as people write it so
// a harvester misses it ("alice [at] example [dot] com", "alice(at)example.com", "alice @
// example.com") went out as it came. Words that merely say "at" or "dot", a mention ("@alice") and
// times, amounts and rates written with "@" stay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { exportReasons } from '../../../test/support/reasonExports';
import { tempDir } from '../../../test/support/tempDir';
import { Masker } from './masking';

const m = new Masker({ enabled: true });
const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;
const OBFUSCATED = [
  'alice [at] example [dot] com', 'alice[at]example[dot]com', 'alice(at)example.com', 'alice (AT) example (DOT) co (DOT) uk', 'alice {at} example.com',
  'alice <at> example.org', 'alice [at] example dot com', 'alice.payer @ example.com', 'jos\u00e9 [at] ex\u00e4mple [dot] de',
];

describe('masking, e-mail addresses written to escape a harvester', () => {
  it('masks them in free text and as a whole value', () => {
    for (const address of OBFUSCATED) {
      expect(note(`refund to ${address} asap`), address).toBe('refund to *** asap');
      expect(note(address), address).toBe('***');
    }
  });

  it('leaves words and signs that only look alike', () => {
    for (const text of [
      'retry at 12:30 (at the latest)', 'merchant at risk [at least 3 declines]', 'dot matrix printer at example', 'thanks @alice.smith for the fix',
      '10 @ 12.50 EUR', 'rate @ 3.5 %', 'sent at 2026-12-07 via example dot com', 'meet (at) noon', '[at] [dot] com', 'alice at example dot com',
    ]) {
      expect(note(text), text).toBe(text);
    }
  });

  it('leaves neither the name nor the domain of an address written any such way (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{2,11}$/);
    const at = fc.constantFrom('[at]', ' [at] ', '(at)', ' (at) ', ' {at} ', '<at>', ' [AT] ', ' @ ');
    const dot = fc.constantFrom('.', '[dot]', ' [dot] ', '(dot)', ' (dot) ', ' dot ', ' [DOT] ');
    fc.assert(
      fc.property(word, at, word, dot, fc.constantFrom('com', 'org', 'de', 'example'), fc.constantFrom('', 'mail ', 'contact: ', '('), (name, a, domain, d, tld, before) => {
        fc.pre(name !== 'at' && domain !== 'dot');
        const out = note(`${before}${name}${a}${domain}${d}${tld} ok`);
        expect(out, `${name}${a}${domain}${d}${tld}`).toBe(`${before}*** ok`);
      }),
      { numRuns: 500 },
    );
  });

  it('costs a long text of such marks its length', () => {
    for (const run of ['a [at] '.repeat(100_000), 'x(at)y'.repeat(100_000), ' @ '.repeat(200_000), 'a [at] b [dot] '.repeat(50_000)]) {
      expect(cpuMsOf(() => m.scrub(run)), run.slice(0, 12)).toBeLessThan(3_000);
    }
  });
});

describe('masking, such e-mail addresses through the real exporter', () => {
  it('no such address reaches a CSV, JSON or HTML export', async () => {
    const texts = await exportReasons(tempDir('payops-mask-email-forms-'), 'emails', OBFUSCATED.map((address) => `ask ${address} first`));
    for (const [format, text] of Object.entries(texts)) {
      expect(text, format).not.toMatch(/alice|jos\u00e9/);
      expect(text, format).toContain('ask *** first');
    }
  });
});
