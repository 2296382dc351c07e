import { countText } from '../../../shared/countText';

export type CaptureReadErrorKind =
  /** The file cannot be opened or read (missing, permissions, I/O). */
  | 'io'
  /** The file (after decompression) holds no lines at all. */
  | 'empty'
  /** The content is not text (NUL bytes near the start): not a capture. */
  | 'binary'
  /** gzip data ends early (a recording interrupted mid-write) or is corrupt. */
  | 'truncated-gzip'
  | 'corrupt-gzip'
  /** A plain file whose last line has no line end and does not parse: cut mid-line (a replay's verdict; the reader yields the line, marked `cut`). */
  | 'truncated-line';

/**
 * Why a capture cannot be read on. Lines before `line` were already yielded, so a
 * caller can keep what it imported and tell the operator where the file broke.
 */
export class CaptureReadError extends Error {
  override readonly name = 'CaptureReadError';
  constructor(
    readonly kind: CaptureReadErrorKind,
    readonly file: string,
    /** 1-based line where reading stopped (the first line not read in full). */
    readonly line: number,
    detail: string,
  ) {
    super(`${file}: line ${line}: ${detail}`);
  }
}

/** A capture could not be written (disk full, permissions, missing folder). */
export class CaptureWriteError extends Error {
  override readonly name: string = 'CaptureWriteError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/**
 * The capture file already holds something and the writer was not asked to append: recording
 * over it would destroy an earlier recording (an incident's capture, a crashed collector's).
 */
export class CaptureExistsError extends CaptureWriteError {
  override readonly name = 'CaptureExistsError';
  constructor(
    file: string,
    readonly sizeBytes: number,
  ) {
    super(file, `already exists (${countText(sizeBytes, 'byte')}): recording would overwrite it; choose a new file`);
  }
}

/**
 * The reader's `cut` record (a plain file's last line without a line end that does not parse) as
 * the whole-file verdict: the capture breaks off there, as a cut gzip does. A replay, a publish and
 * a backtest all say it so; none counts the cut tail as an unreadable line.
 */
export function cutLineError(file: string, line: number): CaptureReadError {
  const before = line - 1;
  return new CaptureReadError(
    'truncated-line',
    file,
    line,
    `the last line has no line end and does not parse: the file is cut mid-line, after ${countText(before, 'complete line')} (e.g. copied while it was being written)`,
  );
}

/**
 * Whether `err` broke a capture off after `linesRead` lines had been read (a cut or corrupt gzip,
 * a line cut mid-write, a read failure): what came before stands and the capture is `truncated`.
 * A missing, empty or binary file is no capture at all.
 */
export function brokeOffAfter(err: CaptureReadError, linesRead: number): boolean {
  return err.kind !== 'empty' && err.kind !== 'binary' && linesRead > 0;
}
