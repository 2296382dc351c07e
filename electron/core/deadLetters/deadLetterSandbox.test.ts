// The sandbox session of a dry run, without a broker: what is stored, what counts as a
// duplicate (held by the console, or twice in the selection), what is quarantined, and the
// throwaway database gone afterwards.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/alertRules';
import { cloudEvent } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { replayIntoSandbox } from './deadLetterSandbox';

const dir = tempDir('payops-sandbox-');

function input(id: string, body: Buffer = cloudEvent(id)) {
  return { body, headers: null, contentType: 'application/cloudevents+json', messageId: id, exchange: 'dlx', routingKey: 'payment.authorized' };
}

describe('dead-letter sandbox', () => {
  it('stores once, counts duplicates of the console and of the selection, quarantines with reasons, leaves no file', () => {
    const held = new Set(['test\u0000held']);
    const rules = parseRules([{ name: 'any', description: 'd', severity: 'info', metric: 'throughput', condition: { above: 0.001 }, window: '1m' }]);
    const report = replayIntoSandbox([input('a'), input('held'), input('b'), { ...input('a'), messageId: 'a-again' }, input('bad', Buffer.from('{"nope'))], {
      rules,
      stored: { seqsOfId: (sources, id) => (sources.some((s) => held.has(`${s}\u0000${id}`)) ? [1] : []) },
      tempDir: dir,
    });
    expect(report).toMatchObject({ messages: 5, stored: 2, storedByType: { 'payment.authorized': 2 }, duplicates: 2, duplicateIds: ['held', 'a-again'], rules: 1 });
    expect(report.quarantined.map((q) => q.id)).toEqual(['bad']);
    expect(report.quarantined[0].reason).not.toBe('');
    expect(report.alerts.map((a) => a.rule)).toEqual(['any']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
