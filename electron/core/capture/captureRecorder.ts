// The session's capture recording (the API's `capture` service): every message the pipeline
// sees, events and quarantined alike, written to a capture file as it arrives.
import type { ApiParsedArgs } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import type { CaptureStatusView } from '../../../shared/replayApi';
import { createCaptureWriter, type CaptureWriter } from './captureWriter';

const NOT_RECORDING: CaptureStatusView = { recording: false, file: null, lines: 0, bytes: 0 };

export class CaptureRecorder implements ApiService<'capture'> {
  private writer: CaptureWriter | null = null;

  constructor(private readonly log: (line: string) => void) {}

  /** The pipeline's tap: records `raw` while a capture runs; a writer that stopped itself is closed. */
  tap(raw: RawMessage, result: DecodeResult): void {
    if (this.writer && !this.writer.write(raw, result)) this.stop().catch(() => undefined);
  }

  start({ file, maxBytes, maxDurationMs }: ApiParsedArgs<'capture.start'>): CaptureStatusView {
    if (this.writer) throw new Error(`already recording to ${this.writer.path}`);
    this.writer = createCaptureWriter(file, { maxBytes, maxDurationMs });
    this.log(`recording capture to ${file}`);
    return this.status();
  }

  async stop(): Promise<CaptureStatusView> {
    const writer = this.writer;
    this.writer = null;
    if (!writer) return { ...NOT_RECORDING };
    const summary = await writer.close();
    return { recording: false, file: summary.path, lines: summary.linesWritten, bytes: summary.bytesWritten, stoppedBecause: summary.stoppedBecause };
  }

  status(): CaptureStatusView {
    const w = this.writer;
    if (!w) return { ...NOT_RECORDING };
    // A writer that stopped itself (size or time limit) still says why until it is closed.
    return { recording: w.stoppedBecause === null, file: w.path, lines: w.linesWritten, bytes: w.bytesWritten, stoppedBecause: w.stoppedBecause };
  }
}
