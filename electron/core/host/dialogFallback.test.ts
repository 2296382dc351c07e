import { describe, expect, it } from 'vitest';
import { CAPTURE_FILE_EXTENSIONS, dialogRequestSchemas } from '../../../shared/dialogApi';
import { dialogFallbackService, openCaptureDialogFallback } from './dialogFallback';

describe('dialog fallback (web host)', () => {
  it('answers dialog.openCapture with a clear "type a path" error', async () => {
    await expect(openCaptureDialogFallback()).rejects.toThrow(/not available in the browser: type a path/);
    await expect(dialogFallbackService.openCapture({})).rejects.toThrow(/^dialog\.openCapture: /);
  });

  it('takes no arguments and filters captures by their endings', () => {
    expect(dialogRequestSchemas['dialog.openCapture'].safeParse({}).success).toBe(true);
    expect(dialogRequestSchemas['dialog.openCapture'].safeParse({ defaultPath: '/etc' }).success).toBe(false);
    expect(CAPTURE_FILE_EXTENSIONS).toEqual(['ndjson', 'jsonl', 'gz']);
  });
});
