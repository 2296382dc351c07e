export { openCaptureReader, DEFAULT_MAX_LINE_BYTES, type CaptureReader, type CaptureReaderOptions } from './captureReader';
export {
  createCaptureWriter,
  type CaptureStopReason,
  type CaptureWriter,
  type CaptureWriterOptions,
  type CaptureWriterSummary,
} from './captureWriter';
export { parseCaptureLine, formatRecordedLine, type CaptureRecord, type RecordedLineV1 } from './captureLine';
export { CaptureExistsError, CaptureReadError, CaptureWriteError, type CaptureReadErrorKind } from './captureErrors';
