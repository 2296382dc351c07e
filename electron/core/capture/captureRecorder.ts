// The session's capture recording (the API's `capture` service): every message the pipeline
// sees, events and quarantined alike, held as it arrives and written (one synchronous write
// per batch) by `flush`, which the composition root runs in each batch's transaction: every
// acknowledged message is in the capture file, even after a kill -9 of the engine.
// A recording never overwrites: a file that exists and is not empty is refused unless the
// caller asks to append (`collect --capture-append`; the console always starts new files).
import { countText } from '../../../shared/countText';
import type { ApiParsedArgs } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import type { CaptureStatusView } from '../../../shared/replayApi';
import { createCaptureWriter, type CaptureWriter } from './captureWriter';

const NOT_RECORDING: CaptureStatusView = { recording: false, file: null, lines: 0, bytes: 0 };

export class CaptureRecorder implements ApiService<'capture'> {
  private writer: CaptureWriter | null = null;

  /**
   * How the last recording ended when it stopped itself (a limit, a write error): capture.status
   * says so until the next recording starts, however many messages arrive after it.
   */
  private ended: CaptureStatusView | null = null;

  constructor(private readonly log: (line: string) => void) {}

  /** The pipeline's tap: records `raw` while a capture runs; a writer that stopped itself is closed. */
  tap(raw: RawMessage, result: DecodeResult): void {
    if (this.writer && !this.writer.write(raw, result)) this.endOnItsOwn(this.writer);
  }

  /**
   * Writes the lines held since the last flush (one write; for .gz, one gzip member). Runs in
   * each batch's transaction, so before the batch is acknowledged.
   */
  flush(): void {
    const writer = this.writer;
    if (!writer || writer.flush() > 0 || !writer.error) return;
    // The write failed: the writer stopped. Say so now, not at the next message.
    this.endOnItsOwn(writer);
  }

  private endOnItsOwn(writer: CaptureWriter): void {
    this.writer = null;
    const why = writer.stoppedBecause ?? 'closed';
    this.ended = { recording: false, file: writer.path, lines: writer.linesWritten, bytes: writer.bytesWritten, stoppedBecause: why };
    if (writer.error) this.ended.error = writer.error.message;
    const reason =
      why === 'maxBytes' ? 'the size limit of the recording was reached' : why === 'maxDuration' ? 'the time limit of the recording was reached' : (writer.error?.message ?? why);
    this.log(`capture stopped: ${reason}; ${countText(writer.linesWritten, 'line')} in ${writer.path}, messages from now on are not recorded`);
    // The writer has stopped and written what it held: this only closes the file (its error was just told).
    writer.close().catch(() => undefined);
  }

  /** `append`: add to a non-empty file instead of refusing it (not part of the API: the console never appends). */
  start({ file, maxBytes, maxDurationMs }: ApiParsedArgs<'capture.start'>, { append = false }: { append?: boolean } = {}): CaptureStatusView {
    if (this.writer) throw new Error(`already recording to ${this.writer.path}`);
    this.writer = createCaptureWriter(file, { maxBytes, maxDurationMs, append });
    this.ended = null;
    this.log(`recording capture to ${file}${append ? ' (appending)' : ''}`);
    return this.status();
  }

  async stop(): Promise<CaptureStatusView> {
    const writer = this.writer;
    this.writer = null;
    this.ended = null;
    if (!writer) return { ...NOT_RECORDING };
    const summary = await writer.close();
    return { recording: false, file: summary.path, lines: summary.linesWritten, bytes: summary.bytesWritten, stoppedBecause: summary.stoppedBecause };
  }

  status(): CaptureStatusView {
    const w = this.writer;
    if (!w) return this.ended ? { ...this.ended } : { ...NOT_RECORDING };
    // A writer that stopped itself (size or time limit) still says why until it is closed.
    return { recording: w.stoppedBecause === null, file: w.path, lines: w.linesWritten, bytes: w.bytesWritten, stoppedBecause: w.stoppedBecause };
  }
}
