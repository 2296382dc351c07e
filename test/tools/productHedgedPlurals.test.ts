// No text built in electron/ or shared/ hedges a count's noun ("message(s)", "attempt(s)"): log
// lines, warnings and errors say "1 message" / "2 messages" through shared/countText.ts, as the
// report, the CLI and the renderer do. The scan reads the product sources (not the tests), so a
// new hedge is caught where it is written; the renderer has its own (rendererHedgedPlurals).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesUnder } from '../support/hedgedPlurals';

const REPO = join(__dirname, '../..');

describe('hedged plurals', () => {
  it.each(['electron', 'shared'])('no %s/ source writes a noun as "noun(s)" in its text', (dir) => {
    expect(hedgesUnder(join(REPO, dir))).toEqual([]);
  });
});
