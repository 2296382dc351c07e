// The one atomic write: whole content or the old file, fsynced, no temporary file left
// behind, the mode asked for, and a missing folder is an error that leaves nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/support/tempDir';
import { commitTempFile, writeFileAtomically, writeFileAtomicallySync } from './atomicFile';

const dir = tempDir('payops-atomic-');
afterEach(() => vi.restoreAllMocks());

describe('atomic file writes', () => {
  it('replaces the file whole, with the mode given, fsynced, leaving no temporary file', () => {
    const file = path.join(dir, 'profiles.json');
    fs.writeFileSync(file, 'old');
    const fsync = vi.spyOn(fs, 'fsyncSync');
    writeFileAtomicallySync(file, '{"a":1}\n', { mode: 0o600 });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fsync).toHaveBeenCalled();
    expect(fs.readdirSync(dir)).toEqual(['profiles.json']);
  });

  it('writes bytes asynchronously (a PDF from Electron is a Uint8Array)', async () => {
    const file = path.join(dir, 'r.pdf');
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]);
    await writeFileAtomically(file, bytes.subarray(1));
    expect([...fs.readFileSync(file)]).toEqual([0x50, 0x44, 0x46, 0x2d]);
  });

  it('fails for a missing folder and leaves nothing there', async () => {
    const missing = path.join(dir, 'missing', 'x.json');
    expect(() => writeFileAtomicallySync(missing, 'x')).toThrow(/ENOENT/);
    await expect(writeFileAtomically(missing, 'x')).rejects.toThrow(/ENOENT/);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('commits a file another writer produced: fsync, then rename over the target', () => {
    const sub = path.join(dir, 'commit');
    fs.mkdirSync(sub);
    const temp = path.join(sub, '.report.csv.partial');
    fs.writeFileSync(temp, 'a,b\n');
    fs.writeFileSync(path.join(sub, 'report.csv'), 'old');
    const fsync = vi.spyOn(fs, 'fsyncSync');
    commitTempFile(temp, path.join(sub, 'report.csv'));
    expect(fsync).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(sub)).toEqual(['report.csv']);
    expect(fs.readFileSync(path.join(sub, 'report.csv'), 'utf8')).toBe('a,b\n');
  });
});
