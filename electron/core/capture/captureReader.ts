import { open, stat as statPath, type FileHandle } from 'node:fs/promises';
import type { ReadStream, Stats } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureReadError } from './captureErrors';
import { parseCaptureLine, type CaptureRecord } from './captureLine';

export interface CaptureReaderOptions {
  /**
   * Longest line kept (bytes). Longer lines are reported as errors and skipped without
   * being held in memory, so one runaway line cannot exhaust memory. Default 8 MiB
   * (room for a 1 MiB body in base64 plus headers).
   */
  maxLineBytes?: number;
  /**
   * Read only the file's first this many bytes (a replay: its size when the replay started, so
   * every pass reads the same capture while a collector goes on appending to it).
   */
  endByte?: number;
}

/**
 * A capture file read as a stream: iterate it with `for await`. Each iteration reads
 * the file afresh; memory stays bounded by the longest line, whatever the file size.
 *
 * Bad lines are yielded as `{ line, error }`. The file as a whole failing is thrown as
 * a CaptureReadError after every complete line before the failure has been yielded:
 * missing/unreadable ('io'), empty ('empty'), binary ('binary'), gzip that ends early
 * or is corrupt ('truncated-gzip', 'corrupt-gzip').
 */
export interface CaptureReader extends AsyncIterable<CaptureRecord> {
  readonly path: string;
  /** File bytes read so far (compressed bytes for gzip), for progress against bytesTotal. */
  readonly bytesRead: number;
  /** File size in bytes; 0 until iteration has opened the file. */
  readonly bytesTotal: number;
  /** Whether the file is gzip (decided by its magic bytes, not its name). */
  readonly compressed: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
// NUL never occurs in JSON text; finding one near the start means a binary file.
const BINARY_SNIFF_BYTES = 4096;
/**
 * Bytes of a line that are not its content: a UTF-8 byte-order mark (3) and the CR of a CRLF
 * line end (1). maxLineBytes is of the content: measured with them, a Windows-written capture
 * refused a line its LF twin kept.
 */
const LINE_FRAMING_BYTES = 4;

interface ZlibError extends Error {
  code?: string;
  errno?: number;
}

/** Compressions a capture might come in besides gzip, by their magic bytes, and the tool that undoes each. */
const OTHER_COMPRESSIONS: { name: string; magic: number[]; undo: string }[] = [
  { name: 'bzip2-compressed', magic: [0x42, 0x5a, 0x68], undo: 'bunzip2' },
  { name: 'xz-compressed', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], undo: 'unxz' },
  { name: 'zstd-compressed', magic: [0x28, 0xb5, 0x2f, 0xfd], undo: 'unzstd' },
  { name: 'lz4-compressed', magic: [0x04, 0x22, 0x4d, 0x18], undo: 'unlz4' },
  { name: 'a zip archive', magic: [0x50, 0x4b, 0x03, 0x04], undo: 'unzip' },
];

/**
 * Why a file that starts with `head` is no capture this reader can read, or null. Without it, a
 * bzip2 file read as text (its first kilobytes may hold no NUL) and every line was quarantined
 * as "not UTF-8" with exit 0, and UTF-16 text (what a Windows shell redirect writes) was called binary.
 */
function foreignFormat(head: Buffer): string | null {
  for (const c of OTHER_COMPRESSIONS) {
    if (c.magic.every((b, i) => head[i] === b)) return `${c.name}: payops reads plain or gzip captures; decompress it first (${c.undo})`;
  }
  // A UTF-16 byte-order mark, or JSON text's first character followed by a NUL byte (UTF-16LE) or preceded by one (BE).
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0x7b && head[1] === 0) || (head[0] === 0 && head[1] === 0x7b);
  return utf16 ? 'UTF-16 text: payops reads UTF-8; convert it first (iconv -f UTF-16 -t UTF-8)' : null;
}

/** A replay reads its capture more than once (its first time, each backward seek): a pipe cannot be. */
function notAFile(kind: Stats): string {
  return kind.isFIFO() || kind.isSocket() ? 'not a regular file (a pipe: save what it carries to a file and replay that)' : 'not a regular file';
}

export function openCaptureReader(path: string, options: CaptureReaderOptions = {}): CaptureReader {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let fileStream: ReadStream | null = null;
  let bytesTotal = 0;
  let compressed = false;

  async function* records(): AsyncGenerator<CaptureRecord> {
    let handle: FileHandle;
    try {
      // Before opening: opening a named pipe waits, forever, for something to write into it.
      const kind = await statPath(path);
      if (!kind.isFile()) throw new CaptureReadError('io', path, 1, notAFile(kind));
      handle = await open(path, 'r');
    } catch (err) {
      if (err instanceof CaptureReadError) throw err;
      throw new CaptureReadError('io', path, 1, `cannot open (${(err as ZlibError).code ?? (err as Error).message})`);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new CaptureReadError('io', path, 1, notAFile(stat));
      bytesTotal = Math.min(stat.size, options.endByte ?? Infinity);
      if (bytesTotal === 0) throw new CaptureReadError('empty', path, 1, 'the file is empty (no events)');
      const magic = Buffer.alloc(6);
      await handle.read(magic, 0, magic.length, 0);
      const foreign = foreignFormat(magic);
      if (foreign) throw new CaptureReadError('binary', path, 1, foreign);
      compressed = magic[0] === 0x1f && magic[1] === 0x8b;
      fileStream = handle.createReadStream({ start: 0, end: bytesTotal - 1, autoClose: true });
    } catch (err) {
      await handle.close().catch(() => undefined);
      if (err instanceof CaptureReadError) throw err;
      throw new CaptureReadError('io', path, 1, `cannot read (${(err as ZlibError).code ?? (err as Error).message})`);
    }
    const end = bytesTotal - 1;
    const reopen = async (): Promise<ReadStream> => {
      fileStream = (await open(path, 'r')).createReadStream({ start: 0, end, autoClose: true });
      return fileStream;
    };
    const source: AsyncIterable<Buffer> = compressed ? gunzipped(fileStream, reopen) : fileStream;

    let lineNo = 0;
    let nonBlankLines = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overlong = false;
    let sniffed = 0;

    const takeLine = (tail: Buffer): CaptureRecord | null => {
      lineNo++;
      let record: CaptureRecord | null;
      const bytes = overlong || pendingBytes + tail.length > maxLineBytes + LINE_FRAMING_BYTES ? null : pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
      if (bytes === null || contentBytes(bytes) > maxLineBytes) {
        record = { line: lineNo, error: `line longer than ${maxLineBytes} bytes (skipped)` };
      } else {
        record = parseCaptureLine(bytes, lineNo);
      }
      pending = [];
      pendingBytes = 0;
      overlong = false;
      if (record) nonBlankLines++;
      return record;
    };

    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (sniffed < BINARY_SNIFF_BYTES) {
          const nul = chunk.subarray(0, BINARY_SNIFF_BYTES - sniffed).indexOf(0);
          if (nul !== -1) {
            throw new CaptureReadError('binary', path, lineNo + 1, `not a text capture (NUL byte at offset ${sniffed + nul}): a binary file?`);
          }
          sniffed += Math.min(chunk.length, BINARY_SNIFF_BYTES - sniffed);
        }
        let start = 0;
        for (;;) {
          const newline = chunk.indexOf(0x0a, start);
          if (newline === -1) {
            const rest = chunk.subarray(start);
            if (overlong || pendingBytes + rest.length > maxLineBytes + LINE_FRAMING_BYTES) {
              overlong = true;
              pending = [];
              pendingBytes = 0;
            } else if (rest.length > 0) {
              // Copy: keeping a view would hold on to the whole 64 KiB chunk.
              pending.push(Buffer.from(rest));
              pendingBytes += rest.length;
            }
            break;
          }
          const record = takeLine(chunk.subarray(start, newline));
          if (record) yield record;
          start = newline + 1;
        }
      }
    } catch (err) {
      if (err instanceof CaptureReadError) throw err;
      const e = err as ZlibError;
      const where = `after ${lineNo} complete line${lineNo === 1 ? '' : 's'}`;
      if (e.code === 'Z_BUF_ERROR') {
        throw new CaptureReadError('truncated-gzip', path, lineNo + 1, `gzip data ends early ${where} (the file is truncated, e.g. an interrupted recording)`);
      }
      if (e.code?.startsWith('Z_')) {
        throw new CaptureReadError('corrupt-gzip', path, lineNo + 1, `gzip data is corrupt ${where} (${e.message})`);
      }
      throw new CaptureReadError('io', path, lineNo + 1, `read failed ${where} (${e.code ?? e.message})`);
    } finally {
      fileStream?.destroy();
    }

    if (pendingBytes > 0 || overlong) {
      // No newline at the end: a hand-written file may simply lack it (then it parses),
      // but a recording cut off mid-write leaves half a line.
      const record = takeLine(Buffer.alloc(0));
      if (record && 'error' in record && /^not (JSON|UTF-8)/.test(record.error)) {
        yield { line: record.line, error: `last line has no line end and does not parse: probably half-written (${record.error})`, bytes: record.bytes, cut: true };
      } else if (record) {
        yield record;
      }
    }
    // Every line was read: the last one is where reading stopped (line 1 for a gzip of nothing).
    if (nonBlankLines === 0) throw new CaptureReadError('empty', path, Math.max(1, lineNo), 'no events: the capture holds only blank lines');
  }

  return {
    path,
    get bytesRead() {
      return fileStream?.bytesRead ?? 0;
    },
    get bytesTotal() {
      return bytesTotal;
    },
    get compressed() {
      return compressed;
    },
    [Symbol.asyncIterator]: () => records(),
  };
}

/** A line's bytes without a leading byte-order mark and the CR of a CRLF end (what parseCaptureLine strips). */
function contentBytes(line: Buffer): number {
  const bom = line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? 3 : 0;
  const cr = line.length > bom && line[line.length - 1] === 0x0d ? 1 : 0;
  return line.length - bom - cr;
}

/** A gunzip error, with the compressed bytes whose write found it (`length` 0: at the end of the input). */
class InflateBreak extends Error {
  constructor(
    readonly zlibError: Error,
    readonly offset: number,
    readonly length: number,
  ) {
    super(zlibError.message);
  }
}

/**
 * Inflates `input` (gzip, every member), writing it in the pieces `pieceAt(offset)` cuts it into
 * (never across a chunk), and yields the output of each write once it is done. A gunzip error is
 * thrown as an InflateBreak naming the piece whose write found it.
 */
async function* inflate(input: AsyncIterable<Buffer>, pieceAt: (offset: number) => number): AsyncGenerator<Buffer> {
  const gz = createGunzip();
  const out: Buffer[] = [];
  gz.on('data', (d: Buffer) => out.push(d));
  let failure: Error | null = null;
  // A write that fails may never call back: its error wakes the wait instead.
  let woken: (() => void) | null = null;
  gz.on('error', (err) => {
    failure ??= err;
    woken?.();
  });
  // Zero bytes after the last member (padding) end the output early: the writes of the rest
  // may never call back either.
  let ended = false;
  gz.on('end', () => {
    ended = true;
    woken?.();
  });
  const written = (piece: Buffer) =>
    new Promise<void>((resolve) => {
      woken = resolve;
      gz.write(piece, () => resolve());
    });
  let offset = 0;
  try {
    for await (const chunk of input) {
      if (ended) break;
      for (let at = 0; at < chunk.length && !ended; ) {
        const n = Math.min(chunk.length - at, pieceAt(offset));
        await written(chunk.subarray(at, at + n));
        if (failure) throw new InflateBreak(failure, offset, n);
        offset += n;
        at += n;
        while (out.length > 0) yield out.shift()!;
      }
    }
    if (!ended) {
      await new Promise<void>((resolve) => {
        woken = resolve;
        gz.end();
      });
    }
    while (out.length > 0) yield out.shift()!;
    if (failure) throw new InflateBreak(failure, offset, 0);
  } finally {
    gz.destroy();
  }
}

/** Pieces a salvage pass writes the region of a break in, one level after another. */
const SALVAGE_PIECES = [1024, 1];
/** The largest write a file stream makes (its chunk size): the first pass's break lies within one. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The text of a gzip capture, whole up to where it breaks. Node's gunzip drops the output of the
 * write in which it finds an error (bytes after the last member, a member that fails its check),
 * so the complete lines just before a break were lost: all of a small capture with junk appended.
 * After such a break the file is inflated again from the start, the region of the break (a read
 * chunk either side of what the gunzip had consumed) written in smaller pieces (1 KiB, then
 * bytes), and what the first pass did not give is yielded, up to the byte where the error is
 * found. Only a broken file costs these passes (two more at most).
 */
async function* gunzipped(first: ReadStream, reopen: () => Promise<ReadStream>): AsyncGenerator<Buffer> {
  let emitted = 0;
  const gz = createGunzip();
  let broke: Error;
  try {
    // pipeline wires 'error' on both streams (no unhandled stream error can crash the process)
    // and destroys both when the consumer stops early.
    for await (const out of pipeline(first, gz, () => undefined) as AsyncIterable<Buffer>) {
      emitted += out.length;
      yield out;
    }
    return;
  } catch (err) {
    if (!(err as ZlibError).code?.startsWith('Z_')) throw err;
    broke = err as Error;
  }
  let region = { start: Math.max(0, gz.bytesWritten - READ_CHUNK_BYTES), length: 2 * READ_CHUNK_BYTES };
  for (const piece of SALVAGE_PIECES) {
    const { start, length } = region;
    let skip = emitted;
    try {
      const pieceAt = (offset: number) => (offset < start ? start - offset : offset < start + length ? piece : Infinity);
      for await (let out of inflate(await reopen(), pieceAt)) {
        if (skip >= out.length) {
          skip -= out.length;
          continue;
        }
        out = out.subarray(skip);
        skip = 0;
        emitted += out.length;
        yield out;
      }
    } catch (err) {
      if (!(err instanceof InflateBreak)) throw err;
      broke = err.zlibError;
      if (err.length <= 1) break;
      region = { start: err.offset, length: err.length };
      continue;
    }
    break; // read to the end without the error (not expected): the first pass's verdict stands
  }
  throw broke;
}
