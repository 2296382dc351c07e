import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tempDir';
import { reportDataUrl, reportRequestAllowed, writeFileAtomically } from './reportPdfFile';

describe('desktop PDF export helpers', () => {
  it('lets the report load only itself', () => {
    const url = reportDataUrl('<h1>Report ü</h1>');
    expect(reportRequestAllowed(url)).toBe(true);
    expect(Buffer.from(url.split(',')[1], 'base64').toString('utf8')).toBe('<h1>Report ü</h1>');
    for (const other of ['https://example.com/x.png', 'http://127.0.0.1:1/', 'file:///etc/passwd', 'data:image/svg+xml,<svg/>']) {
      expect(reportRequestAllowed(other)).toBe(false);
    }
  });

  it('writes the file whole or not at all', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.pdf');
    await writeFileAtomically(file, Buffer.from('%PDF-1.7'));
    expect(fs.readFileSync(file, 'utf8')).toBe('%PDF-1.7');
    await expect(writeFileAtomically(path.join(dir, 'missing-dir', 'r.pdf'), Buffer.from('x'))).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['r.pdf']);
  });
});
