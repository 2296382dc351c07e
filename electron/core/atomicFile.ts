// The one way payops writes a file whole (profiles, secrets, rules, window state, recent
// captures, reports): write-file-atomic writes a temporary file beside the target, fsyncs it
// and renames it over the target, so a reader or a crash sees the old file or the new one,
// never half of either, and what was renamed is on disk. Folders are the caller's business
// (a missing folder is an error here, as for fs.writeFile).
import fs from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export interface AtomicWriteOptions {
  /** File mode of a new file (0o600 for anything holding credentials or personal state). */
  mode?: number;
}

export function writeFileAtomicallySync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  writeFileAtomic.sync(file, toWritable(data), { mode: options.mode, fsync: true });
}

export async function writeFileAtomically(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomic(file, toWritable(data), { mode: options.mode, fsync: true });
}

/**
 * For a file another writer produced beside its target (a CSV stream, Chromium's PDF):
 * fsync it, then rename it over the target; the same guarantee as writeFileAtomically.
 */
export function commitTempFile(temp: string, target: string): void {
  const fd = fs.openSync(temp, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

// write-file-atomic takes a string or a Buffer; a Uint8Array (Electron's printToPDF) is wrapped, not copied.
function toWritable(data: string | Uint8Array): string | Buffer {
  return typeof data === 'string' || Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
