// The CloudEvents conformance cases (../shared/data/cloudevents-conformance) through the whole
// write path, not the decoder alone: every valid case stored (its repeats of one source and id
// counted as duplicates, as the data's README says they are), every invalid one quarantined with
// a reason that begins with the attribute it breaks.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/store/database';
import { storeOn } from '../../electron/core/store/store';
import { storeRaw } from '../support/explorerTestKit';
import { tempDir } from '../support/tempDir';

const dir = tempDir('payops-conformance-');
const cases = (file: string) =>
  (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/data/cloudevents-conformance', file), 'utf8')) as { tests: { id: string; event: Record<string, unknown> }[] }).tests;
const ARRIVAL = Date.UTC(2026, 10, 23, 8, 0, 0);

describe('CloudEvents conformance cases stored', () => {
  it('stores each valid event once; its other valid copies (null optional attributes, another offset or fraction for the same time) are duplicates', () => {
    const valid = cases('valid-events.json');
    const db = openDatabase(path.join(dir, 'valid.db'));
    storeRaw(db, valid.map(({ event }) => ({ body: Buffer.from(JSON.stringify(event)), arrivalMs: ARRIVAL })));
    const distinct = new Set(valid.map(({ event }) => `${String(event.source)}\u0000${String(event.id)}`)).size;
    const stats = storeOn(db).stats();
    const reasons = db.prepare('SELECT reason FROM quarantine').all();
    expect(reasons).toEqual([]);
    expect(stats).toMatchObject({ events: distinct, unknownTypes: distinct, duplicates: valid.length - distinct, quarantined: 0, conflictingDuplicates: 0 });
    expect(stats.lastEventTime).toBe(new Date(ARRIVAL).toISOString());
    db.close();
  });

  // The attribute each invalid case breaks, as its reason must begin (after "missing required attribute" for an absent one).
  const broken: Record<string, string> = {
    invalidNoSpecVersion: 'missing required attribute specversion', invalidNoId: 'missing required attribute id',
    invalidNoType: 'missing required attribute type', invalidNoSource: 'missing required attribute source',
    invalidTimeGarbage: 'time:', invalidTimeToMinute: 'time:', invalidTimeOffsetX: 'time:', invalidTimeOffsetOutOfRange: 'time:',
    invalidTimeOffsetNonInteger: 'time:', invalidTimeOffsetHourOnly: 'time:', invalidEmptyId: 'id:', invalidEmptyType: 'type:',
    invalidEmptySource: 'source:', invalidEmptySpecVersion: 'specversion:', invalidUnknownSpecVersion: 'specversion:',
    invalidNonRfc2046DataContentType: 'datacontenttype:', invalidEmptyDataContentType: 'datacontenttype:', invalidEmptyDataSchema: 'dataschema:',
    invalidEmptySubject: 'subject:', invalidNumericId: 'id:', invalidObjectId: 'id:',
    invalidCapitalizedExtension: 'extension attribute name "MyExtension"', invalidPunctuatedExtension: 'extension attribute name "my.extension"',
    invalidNonIntegerExtensionValue: 'extension attribute name "my.extension"', invalidBothDataAndDataBase64: 'event has both data and data_base64',
  };

  it('quarantines every invalid case, each with a reason beginning with the attribute it breaks, and stores none', () => {
    const invalid = cases('invalid-events.json');
    expect(invalid.map((c) => c.id).sort()).toEqual(Object.keys(broken).sort());
    const db = openDatabase(path.join(dir, 'invalid.db'));
    storeRaw(db, invalid.map(({ id, event }) => ({ body: Buffer.from(JSON.stringify(event)), routingKey: id, arrivalMs: ARRIVAL })));
    const rows = db.prepare('SELECT routing_key AS id, reason FROM quarantine ORDER BY seq').all() as { id: string; reason: string }[];
    expect(rows.map((r) => r.id)).toEqual(invalid.map((c) => c.id));
    for (const { id, reason } of rows) expect(reason.startsWith(broken[id]), `${id}: ${reason}`).toBe(true);
    expect(storeOn(db).stats()).toMatchObject({ events: 0, quarantined: invalid.length });
    db.close();
  });
});
