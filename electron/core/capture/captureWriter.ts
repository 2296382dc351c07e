import { accessSync, closeSync, constants as fsConstants, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { CaptureExistsError, CaptureReadError, CaptureWriteError } from './captureErrors';
import { openCaptureReader } from './captureReader';
import { formatRecordedLine } from './captureLine';

export type CaptureStopReason = 'maxBytes' | 'maxDuration' | 'closed' | 'error';

export interface CaptureWriterOptions {
  /**
   * Stop before the capture text would exceed this many bytes. Counted before
   * compression, so for .gz it is an upper bound on the file size too.
   */
  maxBytes?: number;
  /** Stop this long after the writer was created (checked by a timer, not only on write). */
  maxDurationMs?: number;
  /** Told once when the writer stops, whatever the reason. */
  onStop?: (reason: CaptureStopReason) => void;
  /**
   * Add to the file when it already holds something. Without it, a file that exists and is
   * not empty is refused (CaptureExistsError): nothing ever truncates a capture.
   */
  append?: boolean;
}

export interface CaptureWriterSummary {
  path: string;
  linesWritten: number;
  /** Capture text bytes (uncompressed). */
  bytesWritten: number;
  stoppedBecause: CaptureStopReason;
}

export interface CaptureWriter {
  readonly path: string;
  /**
   * Records one message in the recorded form. `decoded` (the decodeMessage result)
   * marks quarantined messages, which are kept as raw bytes with their reason.
   * Returns false when the writer has stopped and the message was not recorded.
   * The line is held until the next `flush` (or `close`).
   */
  write(raw: RawMessage, decoded?: { ok: boolean; reason?: string }): boolean;
  /**
   * Writes every line recorded since the last flush in ONE synchronous write (for .gz, one
   * gzip member): when it returns, the lines are in the kernel and survive a kill -9 of this
   * process (not a power loss: no fsync). The engine calls it in each batch's transaction,
   * before the batch is acknowledged. Never throws: a failure stops the writer (`error`).
   * Returns how many lines it wrote.
   */
  flush(): number;
  /** Kept for callers of the stream-based writer: writes are synchronous, nothing to wait for. */
  drain(): Promise<void>;
  /** Stops (if still running), writes what is held and closes the file; rejects with CaptureWriteError on I/O failure. */
  close(): Promise<CaptureWriterSummary>;
  readonly linesWritten: number;
  readonly bytesWritten: number;
  /** Why the writer stopped, or null while it is recording. */
  readonly stoppedBecause: CaptureStopReason | null;
  readonly error: CaptureWriteError | null;
}

/** Lines held past this many bytes are written at once, without waiting for the batch's commit. */
const MAX_HELD_BYTES = 8 * 1024 * 1024;
/**
 * gzip level of a .gz capture. Each flush compresses its batch on the engine thread (one gzip
 * member per batch), so the fastest level: ~2 ms per 800 kB batch of text (2,000 events), its
 * output ~10 % larger than level 3's and ~25 % larger than level 6's, which takes twice as long.
 */
const GZIP_LEVEL = zlibConstants.Z_BEST_SPEED;

/**
 * Writes a capture in the recorded form, one JSON object per line; gzip when the path ends in .gz.
 *
 * The file is opened here, synchronously: a missing folder or a permission error throws
 * CaptureWriteError, and a file that exists and is not empty throws CaptureExistsError unless
 * `append` is set. Appending to a plain capture starts on a line of its own (a newline is
 * added if the file does not end with one: a line cut off by a kill stays one bad line); a .gz
 * capture gets new gzip members after the ones it holds (gunzip, and openCaptureReader, read
 * every member).
 *
 * Lines are held in memory until `flush` writes them in one synchronous write. A .gz capture
 * is a sequence of complete gzip members, one per flush, so a killed recording leaves a file
 * that reads to its last flush without a "truncated gzip" error.
 */
export function createCaptureWriter(path: string, options: CaptureWriterOptions = {}): CaptureWriter {
  const { maxBytes, maxDurationMs, onStop } = options;
  const gzip = path.endsWith('.gz');
  let fd: number | null = openCaptureFile(path, gzip, options.append === true);
  /** Where the last whole batch ends: a write that fails (disk full) is cut back to it. */
  let wholeBytes = fstatSync(fd).size;
  let error: CaptureWriteError | null = null;
  let stoppedBecause: CaptureStopReason | null = null;
  let linesWritten = 0;
  let bytesWritten = 0;
  let held: string[] = [];
  let heldBytes = 0;
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | null = null;
  let told = false;
  const tell = (reason: CaptureStopReason) => {
    if (told) return;
    told = true;
    onStop?.(reason);
  };

  function closeFile(): void {
    if (fd === null) return;
    const f = fd;
    fd = null;
    try {
      closeSync(f);
    } catch (err) {
      fail(err, 'close');
    }
  }

  function fail(err: unknown, what: string): void {
    held = [];
    heldBytes = 0;
    if (!error) error = new CaptureWriteError(path, `capture ${what} failed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    // A failure outranks an earlier stop: the file is incomplete whatever stopped it.
    stoppedBecause = 'error';
    if (timer) clearTimeout(timer);
    closeFile();
    tell('error');
  }

  function flush(): number {
    if (held.length === 0 || fd === null) return 0;
    const lines = held;
    held = [];
    heldBytes = 0;
    const text = lines.join('');
    try {
      const bytes = gzip ? gzipSync(text, { level: GZIP_LEVEL }) : Buffer.from(text);
      writeAll(fd, bytes);
      wholeBytes += bytes.length;
    } catch (err) {
      // Part of the batch may have been written: a half line, or a cut gzip member after which
      // nothing could ever be read or appended. The capture ends at its last whole batch, and
      // counts only what it holds.
      try {
        ftruncateSync(fd, wholeBytes);
      } catch {
        // The cut piece stays; a reader reports it as a half-written line or truncated gzip.
      }
      linesWritten -= lines.length;
      bytesWritten -= Buffer.byteLength(text);
      fail(err, 'write');
      return 0;
    }
    return lines.length;
  }

  function stop(reason: CaptureStopReason): void {
    if (stoppedBecause !== null) return;
    stoppedBecause = reason;
    if (timer) clearTimeout(timer);
    // What was accepted before the stop is written, then the file is closed.
    flush();
    closeFile();
    tell(stoppedBecause);
  }

  if (maxDurationMs !== undefined && Number.isFinite(maxDurationMs)) {
    timer = setTimeout(() => stop('maxDuration'), Math.max(0, maxDurationMs));
    // A recording limit must not keep the process alive on its own.
    timer.unref();
  }

  return {
    path,
    write(raw, decoded) {
      if (stoppedBecause !== null) return false;
      if (maxDurationMs !== undefined && Date.now() - startedAt >= maxDurationMs) {
        stop('maxDuration');
        return false;
      }
      const line = formatRecordedLine(raw, decoded) + '\n';
      const size = Buffer.byteLength(line);
      if (maxBytes !== undefined && bytesWritten + size > maxBytes) {
        stop('maxBytes');
        return false;
      }
      held.push(line);
      heldBytes += size;
      linesWritten++;
      bytesWritten += size;
      if (heldBytes >= MAX_HELD_BYTES) flush();
      return true;
    },
    flush,
    async drain() {
      // Nothing is buffered in a stream: flush() writes synchronously.
    },
    async close() {
      stop('closed');
      if (error) throw error;
      return { path, linesWritten, bytesWritten, stoppedBecause: stoppedBecause ?? 'closed' };
    },
    get linesWritten() {
      return linesWritten;
    },
    get bytesWritten() {
      return bytesWritten;
    },
    get stoppedBecause() {
      return stoppedBecause;
    },
    get error() {
      return error;
    },
  };
}

/** writeSync may write less than asked (a signal, a nearly full disk): write the rest. */
function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/**
 * Opens the capture file for writing without ever truncating it: a new file is created; an
 * existing empty one is used; an existing non-empty one is refused unless `append`.
 */
function openCaptureFile(path: string, gzip: boolean, append: boolean, checkOnly = false): number {
  let fd: number;
  try {
    // 'wx': create, and fail if it exists (no truncation, no race with another recorder).
    // 0600: a capture holds every event whole, like the database (an existing file keeps its mode).
    return openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CaptureWriteError(path, `cannot create the capture (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    fd = openSync(path, 'a+');
  } catch (err) {
    throw new CaptureWriteError(path, `cannot open the capture (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new CaptureWriteError(path, 'not a regular file');
    if (stat.size === 0) return fd;
    if (!append) throw new CaptureExistsError(path, stat.size);
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    const isGzip = head[0] === 0x1f && head[1] === 0x8b;
    if (gzip && !isGzip) throw new CaptureWriteError(path, 'cannot append gzip to it: it holds plain text (name the capture without .gz)');
    if (!gzip && isGzip) throw new CaptureWriteError(path, 'cannot append text to it: it holds gzip data (name the capture with .gz)');
    if (!gzip && !checkOnly) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, stat.size - 1);
      // The previous recording may end mid-line (killed): the new lines start on a line of their own.
      if (last[0] !== 0x0a) writeAll(fd, Buffer.from('\n'));
    }
    return fd;
  } catch (err) {
    closeSync(fd);
    if (err instanceof CaptureWriteError) throw err;
    throw new CaptureWriteError(path, `cannot read the capture (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * What recording to `path` would do, checked before a collector starts (the writer checks
 * again when it opens the file): nothing there or an empty file, a new recording; a non-empty
 * file, CaptureExistsError unless `append`. Appending to a .gz capture reads it through
 * first: gzip members after an incomplete one (a recording cut off mid-member by an older
 * payops, a full disk) could never be read, so such a file is refused.
 */
export async function checkCaptureTarget(path: string, append: boolean): Promise<{ sizeBytes: number; appending: boolean }> {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new CaptureWriteError(path, 'not a regular file');
    size = stat.size;
  } catch (err) {
    if (err instanceof CaptureWriteError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      // A new file: its folder must take it, or the mistake would show only once traffic flows.
      const folder = dirname(resolve(path));
      try {
        accessSync(folder, fsConstants.W_OK);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CaptureWriteError(path, code === 'ENOENT' ? `its folder ${folder} does not exist` : `cannot create the capture in ${folder} (${code ?? (e as Error).message})`);
      }
      return { sizeBytes: 0, appending: false };
    }
    throw new CaptureWriteError(path, `cannot read the capture (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (size === 0) return { sizeBytes: 0, appending: false };
  if (!append) throw new CaptureExistsError(path, size);
  if (path.endsWith('.gz')) {
    try {
      // Only the whole-file verdict matters here: every line is read and dropped.
      for await (const record of openCaptureReader(path)) void record;
    } catch (err) {
      if (err instanceof CaptureReadError && err.kind !== 'empty') {
        throw new CaptureWriteError(path, `cannot append to it: ${err.message.slice(path.length + 2)}`);
      }
      if (!(err instanceof CaptureReadError)) throw err;
    }
  }
  // Opening checks the rest (gzip against plain text); nothing is written.
  closeSync(openCaptureFile(path, path.endsWith('.gz'), true, true));
  return { sizeBytes: size, appending: true };
}
