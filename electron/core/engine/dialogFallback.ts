// The engine backend's answer to 'dialog.openCapture' where there is no native dialog (the
// loopback web host; the CLI). Electron's main process handles the request itself, with
// dialog.showOpenDialog, before the backend sees it.
import { DIALOG_NOT_AVAILABLE_MESSAGE, type DialogResults } from '../../../shared/dialogApi';

export function openCaptureDialogFallback(): Promise<DialogResults['dialog.openCapture']> {
  return Promise.reject(new Error(DIALOG_NOT_AVAILABLE_MESSAGE));
}

/** Spread into the backend's handlers: `...dialogFallbackHandlers`. */
export const dialogFallbackHandlers = {
  'dialog.openCapture': openCaptureDialogFallback,
} as const;
