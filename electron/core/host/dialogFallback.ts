// The backend's dialog service where there is no native dialog (the loopback web host; the
// CLI). Electron's main process serves the `dialog` service itself, with dialog.showOpenDialog.
import type { ApiService } from '../../../shared/apiDispatch';
import { DIALOG_NOT_AVAILABLE_MESSAGE, type DialogResults } from '../../../shared/dialogApi';

export function openCaptureDialogFallback(): Promise<DialogResults['dialog.openCapture']> {
  return Promise.reject(new Error(DIALOG_NOT_AVAILABLE_MESSAGE));
}

export const dialogFallbackService: ApiService<'dialog'> = {
  openCapture: openCaptureDialogFallback,
};
