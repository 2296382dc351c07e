// The sandbox session of a dry run, without a broker: what is stored, what counts as a
// duplicate (held by the console, or twice in the selection), what is quarantined, and the
// throwaway database gone afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/alertRules';
import { decodeMessage } from '../../../shared/events/decode';
import { cloudEvent } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from '../store/store';
import { replayIntoSandbox } from './deadLetterSandbox';

const dir = tempDir('payops-sandbox-');

function input(id: string, body: Buffer = cloudEvent(id)) {
  return { body, headers: null, contentType: 'application/cloudevents+json', messageId: id, exchange: 'dlx', routingKey: 'payment.authorized' };
}

describe('dead-letter sandbox', () => {
  it('stores once, counts duplicates of the console and of the selection, quarantines with reasons, leaves no file', () => {
    const held = new Set(['test\u0000held']);
    const rules = parseRules([{ name: 'any', description: 'd', severity: 'info', metric: 'throughput', condition: { above: 0.001 }, window: '1m' }]);
    // The same message again (the same body: cloudEvent's time is the clock's, another copy may differ).
    const a = input('a');
    const report = replayIntoSandbox([a, input('held'), input('b'), { ...a, messageId: 'a-again' }, input('bad', Buffer.from('{"nope'))], {
      rules,
      stored: { heldAs: (e) => (held.has(`${e.source}\u0000${e.id}`) ? 'duplicate' : 'absent') },
      tempDir: dir,
    });
    expect(report).toMatchObject({ messages: 5, stored: 2, storedByType: { 'payment.authorized': 2 }, duplicates: 2, duplicateIds: ['held', 'a-again'], rules: 1 });
    expect(report.quarantined.map((q) => q.id)).toEqual(['bad']);
    expect(report.quarantined[0].reason).not.toBe('');
    expect(report.alerts.map((a) => a.rule)).toEqual(['any']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

/** A CloudEvent of `id` whose data has `data` besides cloudEvent's. */
function eventWith(id: string, data: Record<string, unknown>, type = 'payment.authorized'): Buffer {
  const e = JSON.parse(cloudEvent(id, type).toString()) as { data: Record<string, unknown> };
  return Buffer.from(JSON.stringify({ ...e, data: { ...e.data, ...data } }));
}

describe('dead-letter sandbox: what ingest quarantines after decoding', () => {
  it('lists the messages the ingest transaction refuses, so every message is stored, a duplicate or quarantined', () => {
    const surrogate = Buffer.from(eventWith('s', {}).toString().replace('"merchantId":"m1"', '"merchantId":"m\\ud800"'));
    const ok = input('ok');
    const report = replayIntoSandbox(
      [
        ok,
        input('s', surrogate),
        input('long-code', eventWith('long-code', { declineCode: 'x'.repeat(300) }, 'payment.declined')),
        // The same source and id with another amount: ingest keeps the first, quarantines the other.
        { ...input('ok', eventWith('ok', { amount: 99_999 })), messageId: 'ok-other-amount' },
        { ...ok, messageId: 'ok-again' },
      ],
      { rules: [], stored: null, tempDir: dir },
    );
    expect(report).toMatchObject({ messages: 5, stored: 1, duplicates: 1, duplicateIds: ['ok-again'] });
    expect(report.quarantined.map((q) => q.id)).toEqual(['s', 'long-code', 'ok-other-amount']);
    expect(report.quarantined[0].reason).toMatch(/surrogate/);
    expect(report.quarantined[1].reason).toMatch(/declineCode/);
    expect(report.quarantined[2].reason).toMatch(/conflicting duplicate/);
    expect(report.stored + report.duplicates + report.quarantined.length).toBe(report.messages);
  });

  it('odd bodies (empty, binary, invalid UTF-8, over the size limit) are quarantined with a reason each', () => {
    const report = replayIntoSandbox(
      [
        input('empty', Buffer.alloc(0)),
        input('binary', Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80])),
        input('bad-utf8', Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])),
        input('huge', Buffer.concat([cloudEvent('huge'), Buffer.alloc(5000, 0x20)])),
      ],
      { rules: [], stored: null, tempDir: dir, maxBodyBytes: 4096 },
    );
    expect(report).toMatchObject({ messages: 4, stored: 0, duplicates: 0 });
    expect(report.quarantined.map((q) => q.id)).toEqual(['empty', 'binary', 'bad-utf8', 'huge']);
    for (const q of report.quarantined) expect(q.reason).not.toBe('');
  });
});

describe('dead-letter sandbox against the console database', () => {
  it('a copy of a held event with another body is quarantined as a conflicting duplicate, as ingest would; the same event again is a duplicate', () => {
    const file = path.join(dir, 'console.db');
    const held = cloudEvent('held');
    const writer = openStore(file);
    writer.ingest.commit([{ raw: { body: held, arrivalMs: Date.now(), routingKey: 'payment.authorized' }, result: decodeMessage({ body: held, arrivalMs: Date.now() }) }]);
    writer.close();
    // Read-only, as `payops dead-letters --dry-run --db` opens it.
    const console = openStore(file, { readonly: true });
    try {
      const report = replayIntoSandbox(
        [input('held', held), { ...input('held', eventWith('held', { amount: 99_999 })), messageId: 'held-other-amount' }],
        { rules: [], stored: console.events, tempDir: dir },
      );
      expect(report).toMatchObject({ messages: 2, stored: 0, duplicates: 1, duplicateIds: ['held'] });
      expect(report.quarantined).toEqual([{ id: 'held-other-amount', reason: expect.stringMatching(/conflicting duplicate/) }]);
    } finally {
      console.close();
    }
  });
});
