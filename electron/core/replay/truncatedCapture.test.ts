// A capture cut off mid-write (an interrupted recording, a gzip cut short; a plain file copied
// while being written, cut mid-line): the replay keeps every complete line before the cut, ends
// in error saying where and why, and still reports the span it read: `to` is the latest event
// time before the cut (it was null while `from` was set).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import type { EngineSession } from '../engine/composeEngine';
import { replayedToTheEnd } from '../../../test/support/replayedSession';
import { captureLines } from '../../../test/support/replayTestKit';

const dir = tempDir('payops-truncated-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

describe('a truncated capture', () => {
  it('stores every complete line before the cut, reports itself truncated with `to` the last event read, and logs where it stopped', async () => {
    const lines = captureLines(2000, 50, false);
    const gz = gzipSync(lines.join('\n') + '\n');
    const file = path.join(dir, 'cut.ndjson.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const logs: string[] = [];
    const session = await replayedToTheEnd({ dbFile: path.join(dir, 'cut.db'), session: 'replay', replay: { file, speed: 'max' } }, running, (l) => logs.push(l));
    const status = await session.services.replay.status({});

    const db = new Database(path.join(dir, 'cut.db'), { readonly: true });
    const stored = db.prepare('SELECT COUNT(*) AS n, MIN(time_ms) AS first, MAX(time_ms) AS last FROM events').get() as { n: number; first: number; last: number };
    db.close();
    // Every complete line before the cut: lines 1..stored.n, the next one cut.
    const cutLine = Number(/line (\d+):/.exec(status.error ?? '')?.[1]);
    expect(stored.n).toBeGreaterThan(100);
    expect(cutLine).toBe(stored.n + 1);
    expect(status.state).toBe('error');
    expect(status.error).toMatch(/gzip data ends early after \d+ complete lines \(the file is truncated/);
    expect(status.truncated).toBe(true);
    expect(status.from).toBe(stored.first);
    expect(status.to).toBe(stored.last);
    // Nothing more can be read: the end is as exact as it will get.
    expect(status.toExact).toBe(true);
    expect(logs.filter((l) => l.includes('replay stopped'))).toEqual([
      `${file}: replay stopped at line ${cutLine} (the file is truncated: gzip data ends early); the ${stored.n} complete lines before it were replayed, the last event at ${new Date(stored.last).toISOString()}`,
    ]);
  });

  it('a plain capture cut mid-line (copied while being written) is truncated too: every complete line stored, `to` the last of them, the log naming the cut line', async () => {
    const lines = captureLines(40, 10, false);
    lines.splice(5, 0, 'GARBAGE'); // a bad line inside the file stays a quarantined line
    const file = path.join(dir, 'cut.ndjson');
    fs.writeFileSync(file, lines.join('\n') + '\n' + lines[20].slice(0, 50));
    const logs: string[] = [];
    const session = await replayedToTheEnd({ dbFile: path.join(dir, 'cut-plain.db'), session: 'replay', replay: { file, speed: 'max' } }, running, (l) => logs.push(l));
    const status = await session.services.replay.status({});

    const db = new Database(path.join(dir, 'cut-plain.db'), { readonly: true });
    const stored = db.prepare('SELECT COUNT(*) AS n, MIN(time_ms) AS first, MAX(time_ms) AS last FROM events').get() as { n: number; first: number; last: number };
    const quarantined = db.prepare('SELECT origin FROM quarantine ORDER BY seq').all() as { origin: string }[];
    db.close();
    expect(stored.n).toBe(40);
    expect(quarantined.map((q) => q.origin)).toEqual([`${file}:6`]);
    expect(status.state).toBe('error');
    expect(status.error).toMatch(new RegExp(`line 42: the last line has no line end and does not parse: the file is cut mid-line, after 41 complete lines`));
    expect(status.truncated).toBe(true);
    expect(status.badLines).toBe(1);
    expect(status.to).toBe(stored.last);
    expect(status.toExact).toBe(true);
    expect(logs.filter((l) => l.includes('replay stopped'))).toEqual([
      `${file}: replay stopped at line 42 (the file is truncated: its last line is cut off); the 41 complete lines before it were replayed, the last event at ${new Date(stored.last).toISOString()}`,
    ]);
  });

  it('a plain capture whose last line lacks only its line end is whole', async () => {
    const file = path.join(dir, 'no-eol.ndjson');
    fs.writeFileSync(file, captureLines(30, 10, false).join('\n'));
    const session = await replayedToTheEnd({ dbFile: path.join(dir, 'no-eol.db'), session: 'replay', replay: { file, speed: 'max' } }, running);
    const status = await session.services.replay.status({});
    expect(status).toMatchObject({ state: 'done', truncated: false, badLines: 0, error: null });
  });

  it('a whole capture is not truncated', async () => {
    const file = path.join(dir, 'whole.ndjson.gz');
    fs.writeFileSync(file, gzipSync(captureLines(30, 10, false).join('\n') + '\n'));
    const session = await replayedToTheEnd({ dbFile: path.join(dir, 'whole.db'), session: 'replay', replay: { file, speed: 'max' } }, running);
    const status = await session.services.replay.status({});
    expect(status.state).toBe('done');
    expect(status.truncated).toBe(false);
  });
});
