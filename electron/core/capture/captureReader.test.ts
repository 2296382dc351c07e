import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import { CaptureReadError } from './captureErrors';
import type { CaptureRecord } from './captureLine';
import { openCaptureReader, type CaptureReaderOptions } from './captureReader';

const dir = mkdtempSync(join(tmpdir(), 'payops-capture-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function file(content: string | Buffer, ext = 'ndjson'): string {
  const path = join(dir, `f${++fileNo}.${ext}`);
  writeFileSync(path, content);
  return path;
}

/** Everything the reader yields, and what it threw (if anything). */
async function readAll(path: string, options?: CaptureReaderOptions): Promise<{ records: CaptureRecord[]; thrown: unknown }> {
  const records: CaptureRecord[] = [];
  try {
    for await (const r of openCaptureReader(path, options)) records.push(r);
    return { records, thrown: null };
  } catch (err) {
    return { records, thrown: err };
  }
}

const eventLines = (n: number, seed = 1): string[] => {
  const gen = createTrafficGenerator({ seed, scenario: 'normal', startMs: Date.UTC(2026, 10, 23), rate: 100 });
  return Array.from({ length: n }, () => JSON.stringify(gen.next()));
};

const errorsOf = (records: CaptureRecord[]) => records.filter((r): r is { line: number; error: string } => 'error' in r);

describe('openCaptureReader on bad input', () => {
  it('reports non-JSON and non-object lines with their line numbers and carries on', async () => {
    const [a, b, c] = eventLines(3);
    const path = file([a, 'hello world', '', b, '[1,2]', '42', '{"trunc', '   ', c].join('\n') + '\n');
    const { records, thrown } = await readAll(path);
    expect(thrown).toBeNull();
    expect(records.map((r) => [r.line, 'error' in r])).toEqual([
      [1, false],
      [2, true],
      [4, false],
      [5, true],
      [6, true],
      [7, true],
      [9, false],
    ]);
    const errors = errorsOf(records);
    expect(errors[0].error).toMatch(/^not JSON/);
    expect(errors[1].error).toBe('not a JSON object (found an array)');
    expect(errors[2].error).toBe('not a JSON object (found number)');
  });

  it('reports a half-written last line (no newline) as such', async () => {
    const lines = eventLines(4);
    const path = file(lines.slice(0, 3).join('\n') + '\n' + lines[3].slice(0, 70));
    const { records, thrown } = await readAll(path);
    expect(thrown).toBeNull();
    expect(records).toHaveLength(4);
    // Marked cut: a replay reports the file truncated (a line inside the file never is).
    expect(errorsOf(records)).toEqual([{ line: 4, error: expect.stringMatching(/half-written/), bytes: Buffer.from(lines[3].slice(0, 70)), cut: true }]);
  });

  it('accepts a complete last line without a newline, CRLF line ends and a BOM', async () => {
    const [a, b] = eventLines(2);
    const { records, thrown } = await readAll(file('\ufeff' + a + '\r\n' + b));
    expect(thrown).toBeNull();
    expect(errorsOf(records)).toEqual([]);
    expect(records.map((r) => ('raw' in r ? Buffer.from(r.raw.body).toString() : ''))).toEqual([a, b]);
  });

  it('reads captures joined with cat: a byte-order mark at the start of a later file is no part of that line\'s message body', async () => {
    const [a, b, c] = eventLines(3);
    // Two files an editor saved with a BOM (one with CRLF ends), joined: cat day1.ndjson day2.ndjson > both.ndjson
    const { records, thrown } = await readAll(file(`\ufeff${a}\n\ufeff${b}\r\n${c}\n`));
    expect(thrown).toBeNull();
    expect(errorsOf(records)).toEqual([]);
    expect(records.map((r) => ('raw' in r ? Buffer.from(r.raw.body).toString() : ''))).toEqual([a, b, c]);
  });

  it('reports recorded lines with wrong fields', async () => {
    const good = { v: 1, arrivalMs: 1, routingKey: 'payment.initiated', headers: null, contentType: null, bodyBase64: 'e30=' };
    const lines = [
      good,
      { ...good, v: 2 },
      { ...good, arrivalMs: 'soon' },
      { ...good, routingKey: 7 },
      { ...good, headers: [1] },
      { ...good, bodyBase64: '%%%' },
      { ...good, event: { a: 1 } },
      { v: 1, arrivalMs: 1 },
      { ...good, bodyBase64: undefined, event: 'text' },
    ].map((o) => JSON.stringify(o));
    const { records } = await readAll(file(lines.join('\n')));
    expect('raw' in records[0] && Buffer.from(records[0].raw.body).toString()).toBe('{}');
    const errors = errorsOf(records);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(errors[0].error).toMatch(/unsupported version 2/);
    expect(errors[1].error).toMatch(/arrivalMs/);
    expect(errors[5].error).toMatch(/exactly one of event and bodyBase64/);
    for (const e of errors) expect(e.error).toMatch(/^recorded line: /);
  });

  it('reports a line that is not UTF-8', async () => {
    const [a] = eventLines(1);
    const { records } = await readAll(file(Buffer.concat([Buffer.from(a + '\n'), Buffer.from([0xc3, 0x28, 0x7b, 0x7d, 0x0a])])));
    // Its bytes come with it: the replay's quarantine keeps them.
    expect(errorsOf(records)).toEqual([{ line: 2, error: 'not UTF-8 text', bytes: Buffer.from([0xc3, 0x28, 0x7b, 0x7d]) }]);
  });

  it('skips a line over maxLineBytes without holding it, and reads on', async () => {
    const [a, b] = eventLines(2);
    const huge = '{"x":"' + 'y'.repeat(300_000) + '"}';
    const { records } = await readAll(file([a, huge, b].join('\n') + '\n'), { maxLineBytes: 100_000 });
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(errorsOf(records)).toEqual([{ line: 2, error: 'line longer than 100000 bytes (skipped)' }]);
  });

  it('measures a line without its line end and byte-order mark: a CRLF or BOM capture keeps what its LF twin keeps', async () => {
    const [a] = eventLines(1);
    const max = Buffer.byteLength(a);
    for (const text of [`${a}\n${a}\n`, `${a}\r\n${a}\r\n`, `\ufeff${a}\r\n\ufeff${a}`, `${a}\r\n${a}\r`]) {
      const { records } = await readAll(file(text), { maxLineBytes: max });
      expect(errorsOf(records), JSON.stringify(text.slice(-3))).toEqual([]);
      expect(records.map((r) => r.line)).toEqual([1, 2]);
    }
    // One byte more of content is over, whatever the line end.
    for (const text of [`${a} \n`, `${a} \r\n`, `\ufeff${a} \r\n`]) {
      const { records } = await readAll(file(text), { maxLineBytes: max });
      expect(errorsOf(records)).toEqual([{ line: 1, error: `line longer than ${max} bytes (skipped)` }]);
    }
  });

  it('yields the complete lines of a truncated gzip, then throws truncated-gzip with the line it stopped at', async () => {
    const full = gzipSync(eventLines(3000).join('\n') + '\n');
    const path = file(full.subarray(0, Math.floor(full.length / 2)), 'ndjson.gz');
    const { records, thrown } = await readAll(path);
    expect(thrown).toBeInstanceOf(CaptureReadError);
    const err = thrown as CaptureReadError;
    expect(err.kind).toBe('truncated-gzip');
    expect(records.length).toBeGreaterThan(100);
    expect(errorsOf(records)).toEqual([]);
    expect(err.line).toBe(records.length + 1);
    expect(err.message).toBe(`${path}: line ${records.length + 1}: gzip data ends early after ${records.length} complete lines (the file is truncated, e.g. an interrupted recording)`);
  });

  it('reads every member of a multi-member gzip (appended recordings, one member per batch), a line split across members too', async () => {
    const lines = eventLines(3000, 7);
    const text = lines.join('\n') + '\n';
    // Cut at arbitrary byte offsets (mid-line), plus an empty member: gzip's concatenation rule.
    const cuts = [0, 1, 777, 40_000, 40_001, 123_457, text.length - 3, text.length];
    const members = cuts.slice(1).map((end, i) => gzipSync(text.slice(cuts[i], end)));
    const path = file(Buffer.concat([...members, gzipSync('')]), 'ndjson.gz');
    const { records, thrown } = await readAll(path);
    expect(thrown).toBeNull();
    expect(errorsOf(records)).toEqual([]);
    expect(records.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1));
    expect(records.map((r) => ('raw' in r ? Buffer.from(r.raw.body).toString() : ''))).toEqual(lines);
  });

  it('yields every complete member of a multi-member gzip whose last member is cut off, then throws truncated-gzip', async () => {
    const lines = eventLines(20, 8);
    const first = gzipSync(lines.slice(0, 10).join('\n') + '\n');
    const second = gzipSync(lines.slice(10).join('\n') + '\n');
    const { records, thrown } = await readAll(file(Buffer.concat([first, second.subarray(0, second.length - 6)]), 'ndjson.gz'));
    expect(records.length).toBeGreaterThanOrEqual(10);
    expect(thrown).toBeInstanceOf(CaptureReadError);
    expect((thrown as CaptureReadError).kind).toBe('truncated-gzip');
  });

  // Node's gunzip drops the output of the write in which it finds an error: bytes after the last
  // member (appended junk) lost the member's last lines, all of them for a small capture, and
  // "after N complete lines" named fewer lines than the file held complete.
  it('yields every line of a gzip followed by trailing garbage, then throws corrupt-gzip naming the line after them', async () => {
    for (const n of [30, 3000]) {
      const lines = eventLines(n, 9);
      const path = file(Buffer.concat([gzipSync(lines.join('\n') + '\n'), Buffer.from('GARBAGE appended\n')]), 'ndjson.gz');
      const { records, thrown } = await readAll(path);
      expect(records.map((r) => ('raw' in r ? Buffer.from(r.raw.body).toString() : r.error))).toEqual(lines);
      expect(thrown).toBeInstanceOf(CaptureReadError);
      expect((thrown as CaptureReadError).kind).toBe('corrupt-gzip');
      expect((thrown as CaptureReadError).message).toMatch(new RegExp(`line ${n + 1}: gzip data is corrupt after ${n} complete lines`));
    }
  });

  it('a gzip with trailing zero bytes (padding) is whole', async () => {
    const lines = eventLines(40, 10);
    const { records, thrown } = await readAll(file(Buffer.concat([gzipSync(lines.join('\n') + '\n'), Buffer.alloc(4096)]), 'ndjson.gz'));
    expect(thrown).toBeNull();
    expect(records).toHaveLength(40);
  });

  it('throws corrupt-gzip for damaged gzip data', async () => {
    const full = Buffer.from(gzipSync(eventLines(2000).join('\n')));
    for (let i = 2000; i < 2100; i++) full[i] ^= 0x5a;
    const { thrown } = await readAll(file(full, 'ndjson.gz'));
    expect(thrown).toBeInstanceOf(CaptureReadError);
    expect(['corrupt-gzip', 'truncated-gzip']).toContain((thrown as CaptureReadError).kind);
  });

  it('throws binary for a binary file (e.g. an image picked by mistake)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(5000, 7)]);
    const path = file(png, 'ndjson');
    const { records, thrown } = await readAll(path);
    expect(thrown).toBeInstanceOf(CaptureReadError);
    expect((thrown as CaptureReadError).kind).toBe('binary');
    expect((thrown as Error).message).toContain(path);
    expect((thrown as Error).message).toMatch(/NUL byte at offset 8/);
    expect(records).toEqual([]);
  });

  it('names a compression other than gzip, and UTF-16 text, instead of reading them as bytes or calling them binary', async () => {
    const text = eventLines(20).join('\n') + '\n';
    // Bytes that look compressed (no NUL, no newline): a bzip2 file may hold no NUL in its first kilobytes.
    const noise = Buffer.from(Array.from({ length: 6000 }, (_, i) => 0x80 + ((i * 37) % 120)));
    for (const [content, named] of [
      [Buffer.concat([Buffer.from('BZh91AY&SY'), noise]), /bzip2-compressed: payops reads plain or gzip captures; decompress it first \(bunzip2\)/],
      [Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), noise]), /xz-compressed: .*\(unxz\)/],
      [Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), noise]), /zstd-compressed: .*\(unzstd\)/],
      [Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18]), noise]), /lz4-compressed: .*\(unlz4\)/],
      [Buffer.concat([Buffer.from('PK'), Buffer.from([3, 4]), noise]), /a zip archive: .*\(unzip\)/],
      [Buffer.from('\ufeff' + text, 'utf16le'), /UTF-16 text: payops reads UTF-8; convert it first \(iconv -f UTF-16 -t UTF-8\)/],
      [Buffer.from(text, 'utf16le'), /UTF-16 text/],
    ] as const) {
      const path = file(content, 'ndjson');
      const { records, thrown } = await readAll(path);
      expect(records, String(named)).toEqual([]);
      expect(thrown, String(named)).toBeInstanceOf(CaptureReadError);
      expect((thrown as CaptureReadError).kind).toBe('binary');
      expect((thrown as Error).message).toMatch(named);
    }
  });

  it('throws empty for an empty file, an empty gzip and a file of blank lines', async () => {
    for (const [content, ext] of [
      ['', 'ndjson'],
      [gzipSync(''), 'ndjson.gz'],
      ['\n\n  \n', 'jsonl'],
    ] as const) {
      const { records, thrown } = await readAll(file(content, ext));
      expect(records).toEqual([]);
      expect(thrown).toBeInstanceOf(CaptureReadError);
      expect((thrown as CaptureReadError).kind).toBe('empty');
    }
  });

  it('names the last line of a file of blank lines, not the line after it', async () => {
    for (const [content, last] of [
      ['\n\n  \n', 3],
      ['\n\n  ', 3],
      ['\r\n\t\r\n', 2],
      [gzipSync('\n'), 1],
      [gzipSync(''), 1],
    ] as const) {
      const path = file(content, typeof content === 'string' ? 'ndjson' : 'ndjson.gz');
      const { thrown } = await readAll(path);
      expect((thrown as CaptureReadError).line, JSON.stringify(content)).toBe(last);
      expect((thrown as CaptureReadError).message).toBe(`${path}: line ${last}: no events: the capture holds only blank lines`);
    }
  });

  it('throws io for a missing file, naming it', async () => {
    const path = join(dir, 'missing.ndjson');
    const { thrown } = await readAll(path);
    expect(thrown).toBeInstanceOf(CaptureReadError);
    expect((thrown as CaptureReadError).kind).toBe('io');
    expect((thrown as Error).message).toBe(`${path}: line 1: cannot open (ENOENT)`);
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe at once instead of waiting forever for a writer', async () => {
    const fifo = join(dir, 'pipe.ndjson');
    execFileSync('mkfifo', [fifo]);
    try {
      const verdict = await Promise.race([readAll(fifo), new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 5000))]);
      expect(verdict).not.toBe('waiting');
      const { thrown } = verdict as Awaited<ReturnType<typeof readAll>>;
      expect(thrown).toBeInstanceOf(CaptureReadError);
      expect((thrown as Error).message).toBe(`${fifo}: line 1: not a regular file (a pipe: save what it carries to a file and replay that)`);
    } finally {
      // A reader still blocked opening the pipe is let go (a writer that opens and closes at once).
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // nobody was waiting on it
      }
    }
  });

  it('decides gzip by content, not by name', async () => {
    const lines = eventLines(10);
    const { records: a } = await readAll(file(gzipSync(lines.join('\n')), 'ndjson'));
    const { records: b } = await readAll(file(lines.join('\n'), 'ndjson.gz'));
    expect(errorsOf(a)).toEqual([]);
    expect(a).toHaveLength(10);
    expect(b).toHaveLength(10);
  });
});

describe('openCaptureReader progress', () => {
  for (const gz of [false, true]) {
    it(`counts file bytes read against the file size (${gz ? 'gzip: compressed bytes' : 'plain'})`, async () => {
      const text = eventLines(5000).join('\n') + '\n';
      const path = file(gz ? gzipSync(text) : text, gz ? 'ndjson.gz' : 'ndjson');
      const reader = openCaptureReader(path);
      expect(reader.bytesRead).toBe(0);
      const seen: number[] = [];
      for await (const r of reader) {
        if (r.line % 500 === 0) seen.push(reader.bytesRead);
      }
      expect(reader.compressed).toBe(gz);
      expect(reader.bytesTotal).toBe(statSync(path).size);
      expect(reader.bytesRead).toBe(reader.bytesTotal);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
      if (!gz) expect(seen[0]).toBeLessThan(reader.bytesTotal);
    });
  }

  it('can stop early (break) and read the file again from the start', async () => {
    const path = file(eventLines(2000).join('\n'));
    const reader = openCaptureReader(path);
    let n = 0;
    for await (const _ of reader) if (++n === 10) break;
    let again = 0;
    for await (const _ of reader) again++;
    expect(again).toBe(2000);
  });
});
