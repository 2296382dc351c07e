// The capture writer never truncates a capture (refuses a non-empty file unless appending),
// appends on a line of its own / as new gzip members, and writes each batch's lines to the
// kernel synchronously in flush() (what the engine runs before acknowledging the batch).
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import { CaptureExistsError, CaptureWriteError } from './captureErrors';
import type { CaptureRecord } from './captureLine';
import { openCaptureReader } from './captureReader';
import { CaptureRecorder } from './captureRecorder';
import { checkCaptureTarget, createCaptureWriter } from './captureWriter';

const dir = mkdtempSync(join(tmpdir(), 'payops-capture-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const msg = (id: string): RawMessage => ({ body: Buffer.from(JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'payment.authorized' })), arrivalMs: 1, routingKey: 'payment.authorized' });
const ids = (records: CaptureRecord[]) => records.map((r) => ('raw' in r ? (JSON.parse(Buffer.from(r.raw.body).toString()) as { id: string }).id : `error@${r.line}`));

async function readIds(path: string): Promise<string[]> {
  const out: CaptureRecord[] = [];
  for await (const r of openCaptureReader(path)) out.push(r);
  return ids(out);
}

describe('capture writer: never overwrites', () => {
  for (const ext of ['ndjson', 'ndjson.gz']) {
    it(`refuses an existing non-empty .${ext} file and leaves it as it was`, async () => {
      const path = join(dir, `exists${++n}.${ext}`);
      const before = ext.endsWith('.gz') ? gzipSync('{"id":"old"}\n') : Buffer.from('{"id":"old"}\n');
      writeFileSync(path, before);
      const err = (() => {
        try {
          createCaptureWriter(path);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(CaptureExistsError);
      expect((err as Error).message).toContain(path);
      expect((err as Error).message).toMatch(/already exists \(\d+ bytes\).*choose a new file/);
      expect(readFileSync(path)).toEqual(before);
      await expect(checkCaptureTarget(path, false)).rejects.toBeInstanceOf(CaptureExistsError);
    });
  }

  it('a new capture in a folder that does not exist is refused before recording starts, naming the folder', async () => {
    const path = join(dir, 'no-such-folder', 'x.ndjson');
    const err = await checkCaptureTarget(path, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureWriteError);
    expect((err as Error).message).toBe(`${path}: its folder ${join(dir, 'no-such-folder')} does not exist`);
    await expect(checkCaptureTarget(join(dir, `new${++n}.ndjson`), false)).resolves.toEqual({ sizeBytes: 0, appending: false });
  });

  it('records into an existing empty file', async () => {
    const path = join(dir, `empty${++n}.ndjson`);
    writeFileSync(path, '');
    await expect(checkCaptureTarget(path, false)).resolves.toEqual({ sizeBytes: 0, appending: false });
    const w = createCaptureWriter(path);
    w.write(msg('a'));
    await w.close();
    expect(await readIds(path)).toEqual(['a']);
  });

  it('the console recorder refuses an existing capture too (capture.start never overwrites)', () => {
    const path = join(dir, `console${++n}.ndjson`);
    writeFileSync(path, '{"id":"incident"}\n');
    const recorder = new CaptureRecorder(() => undefined);
    expect(() => recorder.start({ file: path })).toThrow(/already exists/);
    expect(recorder.status().recording).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('{"id":"incident"}\n');
  });
});

describe('capture writer: appending', () => {
  it('appends to a plain capture on a line of its own when the old one ends mid-line', async () => {
    const path = join(dir, `append${++n}.ndjson`);
    const w1 = createCaptureWriter(path);
    w1.write(msg('a'));
    w1.write(msg('b'));
    await w1.close();
    // A kill mid-line: half a line, no newline.
    writeFileSync(path, readFileSync(path, 'utf8') + '{"specversion":"1.0","id":"hal', { flag: 'w' });
    await expect(checkCaptureTarget(path, true)).resolves.toMatchObject({ appending: true });
    const w2 = createCaptureWriter(path, { append: true });
    w2.write(msg('c'));
    await w2.close();
    expect(await readIds(path)).toEqual(['a', 'b', 'error@3', 'c']);
  });

  it('appends a .gz capture as new gzip members, read back whole', async () => {
    const path = join(dir, `append${++n}.ndjson.gz`);
    const w1 = createCaptureWriter(path);
    w1.write(msg('a'));
    w1.flush();
    w1.write(msg('b'));
    await w1.close();
    const w2 = createCaptureWriter(path, { append: true });
    w2.write(msg('c'));
    await w2.close();
    expect(await readIds(path)).toEqual(['a', 'b', 'c']);
  });

  it('refuses to append to a .gz capture whose last gzip member is cut off, or to gzip data named as text', async () => {
    const cut = join(dir, `cut${++n}.ndjson.gz`);
    const whole = gzipSync(JSON.stringify({ id: 'x' }) + '\n');
    writeFileSync(cut, whole.subarray(0, whole.length - 4));
    await expect(checkCaptureTarget(cut, true)).rejects.toThrow(/cannot append to it: .*gzip data ends early/);
    const misnamed = join(dir, `misnamed${++n}.ndjson`);
    writeFileSync(misnamed, whole);
    await expect(checkCaptureTarget(misnamed, true)).rejects.toBeInstanceOf(CaptureWriteError);
    expect(() => createCaptureWriter(misnamed, { append: true })).toThrow(/holds gzip data/);
  });
});

describe('capture writer: flush writes a batch synchronously', () => {
  for (const ext of ['ndjson', 'ndjson.gz']) {
    it(`.${ext}: lines reach the file when flush returns, and the file is whole after every flush`, () => {
      const path = join(dir, `flush${++n}.${ext}`);
      const w = createCaptureWriter(path);
      const read = () => {
        const bytes = readFileSync(path);
        // gunzipSync throws on a cut-off member: each flush leaves complete members only.
        return (ext.endsWith('.gz') && bytes.length > 0 ? gunzipSync(bytes) : bytes).toString().split('\n').filter(Boolean).length;
      };
      for (let batch = 1; batch <= 3; batch++) {
        for (let i = 0; i < 100; i++) w.write(msg(`${batch}-${i}`));
        expect(read()).toBe((batch - 1) * 100);
        expect(w.flush()).toBe(100);
        // No await: the write was synchronous.
        expect(read()).toBe(batch * 100);
      }
      expect(w.flush()).toBe(0);
      void w.close();
    });
  }

  it('the recorder writes what it tapped at flush (the engine runs it in each batch transaction)', async () => {
    const path = join(dir, `recorder${++n}.ndjson`);
    const recorder = new CaptureRecorder(() => undefined);
    recorder.start({ file: path });
    const ok: DecodeResult = { ok: false, reason: 'test' };
    recorder.tap(msg('a'), ok);
    recorder.tap(msg('b'), ok);
    expect(readFileSync(path, 'utf8')).toBe('');
    recorder.flush();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect((await recorder.stop()).lines).toBe(2);
  });
});

describe('capture writer: a new capture is readable by its owner only', () => {
  it.skipIf(process.platform === 'win32')('creates the file 0600 under a umask of 022 (it holds every event whole); an existing file keeps its mode', async () => {
    const before = process.umask(0o022);
    try {
      const path = join(dir, `private${++n}.ndjson`);
      const w = createCaptureWriter(path);
      w.write(msg('p-1'));
      w.flush();
      await w.close();
      expect((statSync(path).mode & 0o777).toString(8)).toBe('600');

      const shared = join(dir, `shared${++n}.ndjson`);
      writeFileSync(shared, '');
      chmodSync(shared, 0o640);
      const s = createCaptureWriter(shared);
      s.write(msg('s-1'));
      s.flush();
      await s.close();
      expect((statSync(shared).mode & 0o777).toString(8)).toBe('640');
    } finally {
      process.umask(before);
    }
  });
});
