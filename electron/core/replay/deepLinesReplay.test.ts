// A replay of a capture with deeply nested lines (each form a capture line can take: a plain
// CloudEvent, a recorded `event`, a recorded `bodyBase64`) quarantines them and goes on: the
// valid lines after them are stored; so does a plain line with a repeated name. (In-process, as
// replaySource.test.ts.)
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { decodeMessage, MAX_JSON_DEPTH } from '../../../shared/events/decode';

const dir = tempDir('payops-deep-replay-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});

async function replayToEnd(file: string) {
  const dbFile = path.join(dir, `${path.basename(file)}.db`);
  const config: EngineConfig = { dbFile, session: 'replay', replay: { file, speed: 'max' } as EngineConfig['replay'] };
  let resolveDrained!: () => void;
  const drained = new Promise<void>((r) => (resolveDrained = r));
  const session = composeEngine(config, { snapshot: () => undefined, log: () => undefined, drained: () => resolveDrained() });
  running.push(session);
  await session.start();
  await drained;
  const status = await session.services.replay.status({});
  await session.stop();
  running.splice(running.indexOf(session), 1);
  return { dbFile, status };
}

const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const deepEvent = (id: string, x: string) =>
  `{"specversion":"1.0","id":"${id}","source":"psp/authorizer","type":"payment.authorized","time":"2026-11-23T05:00:00.500Z",` +
  `"data":{"paymentId":"p-${id}","merchantId":"m1","amount":100,"currency":"EUR","x":${x}}}`;
const recorded = (rest: string) => `{"v":1,"arrivalMs":1795410000000,"routingKey":"payment.authorized","headers":null,"contentType":null,${rest}}`;

describe('replay of a capture with deeply nested lines', () => {
  it('quarantines each deep line (plain, recorded event, recorded bodyBase64) and stores the valid lines after them', async () => {
    const valid = captureLines(30, 10, false);
    const lines = [
      ...valid.slice(0, 5),
      deepEvent('deep-arrays', arrays(20_000)), // line 6
      deepEvent('deep-objects', objects(20_000)), // line 7
      recorded(`"event":${deepEvent('deep-recorded', arrays(20_000))}`), // line 8
      recorded(`"bodyBase64":"${Buffer.from(deepEvent('deep-base64', arrays(20_000))).toString('base64')}"`), // line 9
      ...valid.slice(5),
    ];
    const file = writeCapture(path.join(dir, 'deep.ndjson'), lines);
    const { dbFile, status } = await replayToEnd(file);
    expect(status.state).toBe('done');
    expect(status.error).toBeNull();
    expect(status.line).toBe(lines.length);

    const db = new Database(dbFile, { readonly: true });
    try {
      const events = db.prepare('SELECT id FROM events ORDER BY id').all() as { id: string }[];
      expect(events.map((e) => e.id).sort()).toEqual(valid.map((l) => (JSON.parse(l) as { id: string }).id).sort());
      const q = db.prepare('SELECT reason, origin, length(body) AS size FROM quarantine ORDER BY seq').all() as { reason: string; origin: string; size: number }[];
      expect(q.map((r) => r.origin)).toEqual([6, 7, 8, 9].map((n) => `${file}:${n}`));
      const nesting = `nested deeper than ${MAX_JSON_DEPTH} levels of JSON objects and arrays`;
      for (const r of q) expect(r.reason).toContain(nesting);
      expect(q[2].reason).toBe(`capture line 8: recorded line: event is ${nesting}`);
      // The plain and bodyBase64 lines keep their bytes for the operator.
      expect(q[0].size).toBe(Buffer.byteLength(lines[5]));
      expect(q[3].size).toBe(Buffer.byteLength(deepEvent('deep-base64', arrays(20_000))));
    } finally {
      db.close();
    }
  });
});

describe('replay of a capture with a name repeated in a plain line', () => {
  // A plain line (one CloudEvent, as a producer writes a capture by hand) with two ids: the
  // replay validated the object the capture reader parsed, which had lost the repeat, so the line
  // was stored under its last id where live ingest quarantines the message.
  it('quarantines it as live ingest does, and stores the lines around it', async () => {
    const valid = captureLines(10, 10, false);
    const spliced = valid[0].replace(/^\{/, '{"id":"other-producer-1",');
    const lines = [...valid.slice(0, 3), spliced, ...valid.slice(3)];
    const file = writeCapture(path.join(dir, 'repeated.ndjson'), lines);
    const { dbFile, status } = await replayToEnd(file);
    expect(status.state).toBe('done');
    const live = decodeMessage({ body: Buffer.from(spliced), arrivalMs: 1 });
    expect(live).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: repeated in the event object/) });
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(valid.length);
      const q = db.prepare('SELECT reason, origin, CAST(body AS TEXT) AS body FROM quarantine').all();
      expect(q).toEqual([{ reason: live.ok ? '' : live.reason, origin: `${file}:4`, body: spliced }]);
    } finally {
      db.close();
    }
  });
});
