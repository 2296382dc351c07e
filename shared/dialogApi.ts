// Native dialogs of the desktop app (spread into apiRequestSchemas / ApiResults in api.ts).
// Electron's main process answers them with its own dialogs; the web host has none and the
// engine backend answers with an error telling the operator to type the path instead.
import { z } from 'zod';

/** File name endings a capture may have (the open dialog's filter). */
export const CAPTURE_FILE_EXTENSIONS = ['ndjson', 'jsonl', 'gz'] as const;

export const dialogRequestSchemas = {
  /** Asks the operator for a capture file; `file` is null when the dialog was cancelled. */
  'dialog.openCapture': z.object({}).strict(),
} as const;

export interface DialogResults {
  'dialog.openCapture': { file: string | null };
}

/** The web host's answer: a browser page cannot open a native dialog on the engine's machine. */
export const DIALOG_NOT_AVAILABLE_MESSAGE = 'dialog.openCapture: not available in the browser: type a path to the capture file';
