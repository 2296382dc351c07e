import { createWriteStream } from 'node:fs';
import { PassThrough, pipeline, type Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { CaptureWriteError } from './captureErrors';
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
   */
  write(raw: RawMessage, decoded?: { ok: boolean; reason?: string }): boolean;
  /** Resolves once buffered output is below the stream's high-water mark (back-pressure). */
  drain(): Promise<void>;
  /** Stops (if still running), flushes and closes the file; rejects with CaptureWriteError on I/O failure. */
  close(): Promise<CaptureWriterSummary>;
  readonly linesWritten: number;
  readonly bytesWritten: number;
  /** Why the writer stopped, or null while it is recording. */
  readonly stoppedBecause: CaptureStopReason | null;
  readonly error: CaptureWriteError | null;
}

/** Writes a capture in the recorded form, one JSON object per line; gzip when the path ends in .gz. */
export function createCaptureWriter(path: string, options: CaptureWriterOptions = {}): CaptureWriter {
  const { maxBytes, maxDurationMs, onStop } = options;
  const sink: Transform = path.endsWith('.gz') ? createGzip() : new PassThrough();
  const file = createWriteStream(path);
  let error: CaptureWriteError | null = null;
  let stoppedBecause: CaptureStopReason | null = null;
  let linesWritten = 0;
  let bytesWritten = 0;
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | null = null;

  function stop(reason: CaptureStopReason): void {
    if (stoppedBecause !== null) return;
    stoppedBecause = reason;
    if (timer) clearTimeout(timer);
    sink.end();
    onStop?.(reason);
  }

  // pipeline attaches 'error' handlers to both streams: a full disk or a missing folder
  // becomes `error` and a rejected close(), never an unhandled stream error.
  const finished = new Promise<void>((resolve) => {
    pipeline(sink, file, (err) => {
      if (err && !error) {
        error = new CaptureWriteError(path, `capture write failed (${(err as NodeJS.ErrnoException).code ?? err.message})`);
        // A failure outranks an earlier stop: the file is incomplete whatever stopped it.
        stop('error');
        stoppedBecause = 'error';
      }
      resolve();
    });
  });

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
      sink.write(line);
      linesWritten++;
      bytesWritten += size;
      return true;
    },
    async drain() {
      if (!sink.writableNeedDrain || stoppedBecause !== null) return;
      await new Promise<void>((resolve) => {
        sink.once('drain', resolve);
        sink.once('close', resolve);
      });
    },
    async close() {
      stop('closed');
      await finished;
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
