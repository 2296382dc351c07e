import { countNoun, countText } from '../../../shared/countText';
import { statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { DEFAULT_MAX_BODY_BYTES, decodeMessage, normalizeCloudEvent } from '../../../shared/events/decode';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import { REPLAY_SPEED_MAX, REPLAY_SPEED_MIN } from '../../../shared/replayApi';
import type { ApiParsedArgs } from '../../../shared/api';
import type { ReplayStatusView } from '../../../shared/replayApi';
import type { ReplayProgress } from '../../../shared/metrics';
import { brokeOffAfter, CaptureReadError, cutLineError } from '../capture/captureErrors';
import { parseCaptureLine, type CaptureRecord } from '../capture/captureLine';
import { openCaptureReader, type CaptureReader } from '../capture/captureReader';
import { firstEventTime } from '../capture/firstEventTime';
import { MAX_PACED_GAP_MS, skippedGapText, type SkippedGap } from '../../../shared/replayGap';
import type { IngestSource } from '../ingest/ingestSource';
import type { PipelineInput } from '../ingest/ingestPipeline';

export type ReplaySpeed = number | 'max';

export interface ReplaySourceOptions {
  file: string;
  speed: ReplaySpeed;
  /** Same limit as the pipeline's (the replay decodes each message once, for the pipeline too). */
  maxBodyBytes?: number;
  /** Start paused at the first event (the UI opens a capture, the operator presses play). */
  startPaused?: boolean;
  /** Wall clock, for tests. */
  now?: () => number;
  /** Commit what is pending (pause, seek): the engine's flushNow. */
  flush?: () => void;
  /** A checkpoint (line, event-time watermark) every this many lines, for backward seeks. */
  checkpointEvery?: number;
  /** The session's log (a skipped gap in event time is said there). */
  log?: (line: string) => void;
  /**
   * Only this slice of event time, `fromMs <= time < toMs` (an end absent: open). A line without
   * an event time (an unknown type without `time`, a bad line) goes with the lines before it:
   * in when their newest event time is in the slice.
   */
  fromMs?: number;
  toMs?: number;
}

export type ReplayControl =
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'seek'; to: number | string }
  | { action: 'speed'; speed: ReplaySpeed | string };

interface RateSample {
  wall: number;
  pushed: number;
  bytes: number;
}

export interface BadLine {
  line: number;
  error: string;
}

/** `replay.status` (declared with the API contract). */
export type ReplayStatus = ReplayStatusView;

const MAX_BAD_SAMPLES = 20;
const MAX_SKIPPED_GAPS = 20;
const RATE_WINDOW_MS = 10_000;
const BLOCKED_POLL_MS = 10;
/** Longest single sleep while pacing: state changes wake the loop anyway; this bounds drift. */
const MAX_SLEEP_MS = 250;
const EMPTY = Buffer.alloc(0);

/** A typed speed: plain decimal digits, optionally written x10 (Number() alone would take '0x10', '1e3' and '0b11'). */
const SPEED_TEXT = /^x?(\d+(?:\.\d*)?|\.\d+)$/i;

export function parseReplaySpeed(value: unknown): ReplaySpeed {
  if (value === 'max') return 'max';
  const match = typeof value === 'string' ? SPEED_TEXT.exec(value.trim()) : null;
  const n = typeof value === 'string' ? (match ? Number(match[1]) : NaN) : value;
  // 1e-300 would never finish; past a million a second of event time is shorter than the timer's resolution.
  if (typeof n !== 'number' || !Number.isFinite(n) || n < REPLAY_SPEED_MIN || n > REPLAY_SPEED_MAX) {
    throw new RangeError(`speed must be 'max' or a number from ${REPLAY_SPEED_MIN} to ${REPLAY_SPEED_MAX} (x1, x10, x60, x600...), got ${JSON.stringify(value)}`);
  }
  return n;
}

export function parseReplayTime(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return asNumber;
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  throw new RangeError(`seek target must be an epoch-ms number or an ISO time, got ${JSON.stringify(value)}`);
}

/**
 * Replays a capture file into the pipeline, paced by EVENT time.
 *
 * - Streaming: the file is read line by line (gzip or not); memory is bounded by the
 *   longest line, the pipeline's batch and a sparse checkpoint list (one entry per
 *   `checkpointEvery` lines), whatever the file size.
 * - Pacing: at speed N the replay clock advances N ms of event time per wall ms and a
 *   line is pushed once the clock has reached its event time; at 'max' there is no pacing,
 *   only backpressure (`isBlocked`). Event times that go backwards (out-of-order captures)
 *   never move the clock back: such lines are pushed at once.
 * - Determinism: what is pushed is a function of the file alone. Arrival time is the
 *   recorded arrivalMs of a recorded line, else the event time; a line with neither
 *   (an unknown type without `time`, a bad line) takes the event-time watermark of the
 *   lines before it. Wall time is used for pacing only, never stored.
 * - Bad lines are quarantined with reason "capture line N: ..." and origin "<file>:N".
 * - Seek forward: read on at full speed (pushing, no pacing) up to the target.
 *   Seek backward: reopen the file and read from the start. Lines already pushed (line
 *   number <= the highest pushed) are NOT pushed again: the store is idempotent, but a
 *   re-push would still count as a duplicate and cost an insert attempt. Lines before the
 *   nearest checkpoint preceding the target are skipped without decoding; from there the
 *   clock is paced again over the stored stretch, so the dashboard (which reads rollups up
 *   to the clock) shows the past as it was, and new lines are pushed once past it.
 */
export class ReplaySource implements IngestSource {
  readonly file: string;
  private speed: ReplaySpeed;
  private readonly maxBodyBytes: number | undefined;
  private readonly now: () => number;
  private readonly flushPending: () => void;
  private readonly checkpointEvery: number;
  private readonly log: (line: string) => void;
  private readonly sliceFrom: number | undefined;
  private readonly sliceTo: number | undefined;
  /** Highest event time of every line read in this pass, in the slice or not. */
  private fileWatermark: number | null = null;

  private push: ((input: PipelineInput) => void) | null = null;
  private isBlocked: () => boolean = () => false;
  private state: ReplayProgress['state'] = 'running';
  private stopped = false;
  private generation = 0;
  private passes = 0;
  private reader: CaptureReader | null = null;
  private wake: (() => void) | null = null;

  // Event-time clock: position = anchorPos + (now - anchorWall) * speed while running paced.
  private anchorPos: number | null = null;
  private anchorWall = 0;
  /** The event time the loop is waiting for (paced), if any. */
  private waitingFor: number | null = null;
  /** The first timed line's event time (the arrival of untimed lines before it); undefined until probed (firstEventTime). */
  private firstTimeMs: number | null | undefined = undefined;
  /** Highest event time of the lines handled in this pass. */
  private passWatermark: number | null = null;
  /**
   * The same, with a line misdated more than MAX_PACED_GAP_MS away counted at the time it is
   * placed at (arrivalOfTimed): where a line without an event time (or an unreadable one) is placed.
   * Placed at the misdated line's time, an untimed line after it was stored years ahead.
   */
  private arrivalMark: number | null = null;
  /**
   * Highest event time of the lines handled in this stretch: since the pass began or the last
   * jump of more than MAX_PACED_GAP_MS. The clock follows it, never the pass's: one line dated
   * years ahead would otherwise hold the clock (at max, at the end, and as the bound of a paced
   * clock) years ahead, and every window of the dashboard empty.
   */
  private stretchWatermark: number | null = null;
  /** The stretch a far jump left, to go back to when the lines come back near it. */
  private stretchBeforeJump: number | null = null;
  /** The paced clock when it skipped a far jump: a skip back near it goes on from there. */
  private clockBeforeJump: number | null = null;
  private seekTarget: number | null = null;
  private seekBackward = false;
  private skipBelowLine = 0;
  private passStartLine = 0;

  /** The earliest event time read so far (by any pass or the end probe): exact after a full pass. */
  private from: number | null = null;
  /** The latest event time known: exact after a full pass (toExact), else the end probe's estimate. */
  private to: number | null = null;
  /** The earliest event time in the end probe's stretch, taken into `from` once the first line is read. */
  private probedEarliest: number | null = null;
  private toExact = false;
  /** The last pass broke off before the end of the file (status `truncated`). */
  private truncated = false;
  private line = 0;
  private highestPushedLine = 0;
  private maxLineSeen = 0;
  private pushed = 0;
  private badLines = 0;
  private readonly badSamples: BadLine[] = [];
  private readonly skippedGaps: SkippedGap[] = [];
  /** `fileWatermark`: of every line before, in the slice or not (an untimed line after it is placed by it). */
  private readonly checkpoints: { line: number; watermark: number; fileWatermark: number | null }[] = [];
  private error: string | null = null;
  private lastBytesRead = 0;
  private bytesTotal: number | null = null;
  private compressed = false;
  /**
   * The file's size when the replay started: every pass reads that much (a collector may still
   * be appending to the capture), so every pass, and every replay started then, reads the same.
   */
  private sizeAtStart: number | undefined = undefined;
  private grewSaid = false;

  // Rates over the last RATE_WINDOW_MS of wall time, from samples at least 500 ms apart (for
  // the progress bar and ETA). A sparse capture paced in time arrives in bursts, so a rate over
  // one sample's half second read 0 between them while the replay went on.
  private rateSamples: RateSample[] = [];
  private eventsPerSecond = 0;
  private bytesPerSecond = 0;

  /** Resolves when the source is done (end of file or a whole-file error) or stopped. */
  readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(options: ReplaySourceOptions) {
    this.file = options.file;
    this.speed = parseReplaySpeed(options.speed);
    this.maxBodyBytes = options.maxBodyBytes;
    this.now = options.now ?? Date.now;
    this.flushPending = options.flush ?? (() => undefined);
    this.checkpointEvery = options.checkpointEvery ?? 10_000;
    this.log = options.log ?? (() => undefined);
    this.sliceFrom = options.fromMs;
    this.sliceTo = options.toMs;
    if (options.startPaused) this.state = 'paused';
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get done(): boolean {
    return this.state === 'done' || this.state === 'error';
  }

  start(push: (input: PipelineInput) => void, isBlocked: () => boolean): void {
    this.push = push;
    this.isBlocked = isBlocked;
    this.restartRate();
    this.sizeAtStart = regularFileSize(this.file);
    void this.probeEnd();
    this.startPass();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.wakeUp();
    this.resolveFinished();
  }

  // ---- control -------------------------------------------------------------------------

  pause(): ReplayStatus {
    if (this.state === 'running') {
      this.anchorPos = this.clock();
      this.anchorWall = this.now();
      this.state = 'paused';
      this.flushPending();
    }
    return this.status();
  }

  resume(): ReplayStatus {
    if (this.state === 'paused') {
      this.anchorWall = this.now();
      this.state = 'running';
      this.restartRate();
      this.wakeUp();
    }
    return this.status();
  }

  setSpeed(speed: ReplaySpeed | string): ReplayStatus {
    const next = parseReplaySpeed(speed);
    this.anchorPos = this.clock();
    this.anchorWall = this.now();
    this.speed = next;
    this.restartRate();
    this.wakeUp();
    return this.status();
  }

  /** Moves the replay clock to `to` (event time); see the class comment for how. */
  seek(to: number | string): ReplayStatus {
    const target = parseReplayTime(to);
    const current = this.clock();
    this.flushPending();
    if (current !== null && target < current) {
      // Backward: re-read from the start (or the nearest checkpoint), pushing only new lines.
      let from: { line: number; watermark: number; fileWatermark: number | null } | null = null;
      for (const c of this.checkpoints) if (c.watermark < target && c.line <= this.highestPushedLine + 1) from = c;
      this.skipBelowLine = from?.line ?? 0;
      this.seekTarget = target;
      this.seekBackward = true;
      if (this.state === 'done' || this.state === 'error') this.state = 'running';
      this.error = null;
      this.startPass(from?.watermark ?? null, from?.fileWatermark ?? null);
    } else {
      this.seekTarget = target;
      this.seekBackward = false;
      if (this.done) {
        // Already at the end: nothing further to read.
        this.seekTarget = null;
        this.anchorPos = Math.max(this.anchorPos ?? target, Math.min(target, this.to ?? target));
      }
      this.wakeUp();
    }
    return this.status();
  }

  control(args: ApiParsedArgs<'replay.control'>): ReplayStatus {
    switch (args.action) {
      case 'pause':
        return this.pause();
      case 'resume':
        return this.resume();
      case 'seek':
        return this.seek(args.to);
      case 'speed':
        return this.setSpeed(args.speed);
    }
  }

  // ---- clock and progress ---------------------------------------------------------------

  /** The replay's event-time "now"; null before the first timed line. */
  clock(): number | null {
    if (this.seekTarget !== null) return this.seekBackward ? this.seekTarget : (this.passWatermark ?? this.anchorPos);
    if (this.anchorPos === null) return null;
    if (this.state !== 'running' || this.speed === 'max') return this.anchorPos;
    const paced = this.anchorPos + (this.now() - this.anchorWall) * this.speed;
    // Never ahead of the data: up to the line being waited for, else the lines handled.
    const limit = this.waitingFor ?? Math.max(this.anchorPos, this.stretchWatermark ?? this.anchorPos);
    return Math.min(paced, limit);
  }

  progress(): ReplayProgress {
    this.sampleRate();
    const position = this.clock() ?? this.from ?? 0;
    const bytesRead = this.reader ? this.reader.bytesRead : this.lastBytesRead;
    return {
      file: this.file,
      state: this.state,
      speed: this.speed,
      position,
      from: this.from,
      to: this.to,
      linesRead: this.line,
      bytesRead,
      bytesTotal: this.bytesTotal,
      eventsPerSecond: Math.round(this.eventsPerSecond),
      etaMs: this.eta(position, bytesRead),
      error: this.error,
    };
  }

  status(): ReplayStatus {
    return {
      ...this.progress(),
      line: this.line,
      pushed: this.pushed,
      badLines: this.badLines,
      badLineSamples: [...this.badSamples],
      skippedGaps: this.skippedGaps.map((g) => ({ ...g })),
      toExact: this.toExact,
      truncated: this.truncated,
      seekingTo: this.seekTarget,
      passes: this.passes,
      passStartLine: this.passStartLine,
      compressed: this.compressed,
    };
  }

  /** A pause or a new speed starts the rate's window again: what came before says nothing of now. */
  private restartRate(): void {
    this.rateSamples = [{ wall: this.now(), pushed: this.pushed, bytes: this.reader ? this.reader.bytesRead : this.lastBytesRead }];
  }

  private sampleRate(): void {
    const wall = this.now();
    const newest = this.rateSamples[this.rateSamples.length - 1];
    if (newest === undefined || wall - newest.wall < 500) return;
    const bytes = this.reader ? this.reader.bytesRead : this.lastBytesRead;
    this.rateSamples.push({ wall, pushed: this.pushed, bytes });
    // Keep the newest sample that is at least a window old: the rate spans the whole window.
    while (this.rateSamples.length > 2 && wall - this.rateSamples[1].wall >= RATE_WINDOW_MS) this.rateSamples.shift();
    const oldest = this.rateSamples[0];
    const elapsed = wall - oldest.wall;
    this.eventsPerSecond = (Math.max(0, this.pushed - oldest.pushed) * 1000) / elapsed;
    this.bytesPerSecond = (Math.max(0, bytes - oldest.bytes) * 1000) / elapsed;
  }

  private eta(position: number, bytesRead: number): number | null {
    if (this.done) return 0;
    if (this.state === 'paused') return null;
    const remainingBytes = this.bytesTotal !== null ? Math.max(0, this.bytesTotal - bytesRead) : null;
    const byBytes = remainingBytes !== null && this.bytesPerSecond > 0 ? (remainingBytes / this.bytesPerSecond) * 1000 : null;
    if (this.speed === 'max' || this.seekTarget !== null) return byBytes === null ? null : Math.round(byBytes);
    let end = this.to;
    if (end === null && this.from !== null && this.passWatermark !== null && bytesRead > 0 && this.bytesTotal) {
      // Estimate the end from how far through the file (in bytes) the event times have got.
      end = this.from + ((this.passWatermark - this.from) * this.bytesTotal) / bytesRead;
    }
    if (end === null) return byBytes === null ? null : Math.round(byBytes);
    const paced = Math.max(0, (end - position) / this.speed);
    return Math.round(Math.max(paced, byBytes ?? 0));
  }

  // ---- the read loop --------------------------------------------------------------------

  private startPass(watermark: number | null = null, fileWatermark: number | null = watermark): void {
    const gen = ++this.generation;
    this.passes++;
    this.passWatermark = watermark;
    this.arrivalMark = watermark;
    this.stretchWatermark = watermark;
    this.stretchBeforeJump = null;
    this.clockBeforeJump = null;
    this.fileWatermark = fileWatermark;
    this.passStartLine = this.skipBelowLine;
    this.waitingFor = null;
    this.line = 0;
    this.wakeUp();
    void this.readPass(gen);
  }

  private async readPass(gen: number): Promise<void> {
    if (this.firstTimeMs === undefined) {
      this.firstTimeMs = await firstEventTime(this.file, { endByte: this.sizeAtStart, maxBodyBytes: this.maxBodyBytes });
      if (gen !== this.generation) return;
    }
    const reader = openCaptureReader(this.file, { endByte: this.sizeAtStart });
    this.reader = reader;
    try {
      for await (const record of reader) {
        if (gen !== this.generation) return;
        const wait = this.handle(record, gen);
        if (wait) {
          await wait;
          if (gen !== this.generation) return;
        }
      }
      if (gen !== this.generation) return;
      this.endOfPass(null);
    } catch (err) {
      if (gen !== this.generation) return;
      if (err instanceof CaptureReadError) this.endOfPass(err.message, err);
      else this.endOfPass(`replay failed: ${(err as Error).message}`);
    } finally {
      this.compressed = reader.compressed;
      this.bytesTotal = reader.bytesTotal || this.bytesTotal;
      if (this.reader === reader) {
        this.lastBytesRead = reader.bytesRead;
        this.reader = null;
      }
    }
  }

  /** `broke`: the file broke off after lines were read (truncated or corrupt gzip, a read failure). */
  private endOfPass(error: string | null, broke: CaptureReadError | null = null): void {
    this.flushPending();
    const readPastStart = broke !== null && brokeOffAfter(broke, this.line);
    // Broken off: nothing after the break can ever be read, so what was read is the whole span.
    if ((error === null || readPastStart) && this.passWatermark !== null) {
      this.to = this.passWatermark;
      this.toExact = true;
    }
    this.truncated = readPastStart;
    if (readPastStart) this.log(this.stoppedText(broke));
    this.sayIfGrew();
    // A seek beyond the end stops at the end.
    this.seekTarget = null;
    this.seekBackward = false;
    this.waitingFor = null;
    const end = this.stretchWatermark;
    if (end !== null) this.anchorPos = this.anchorPos === null || isFarGap(end, this.anchorPos) ? end : Math.max(this.anchorPos, end);
    this.error = error;
    this.state = error === null ? 'done' : 'error';
    this.resolveFinished();
  }

  /** A capture still being written (collect --capture) has more than was replayed: said once. */
  private sayIfGrew(): void {
    if (this.grewSaid || this.sizeAtStart === undefined) return;
    const now = regularFileSize(this.file);
    if (now === undefined || now <= this.sizeAtStart) return;
    this.grewSaid = true;
    this.log(`${this.file}: the capture grew while it was replayed (${countText(this.sizeAtStart, 'byte')} at the start, ${now} at the end): the replay holds what it held at the start; replay it again for the rest`);
  }

  /** Where and why a broken-off capture stopped, and what of it was replayed. */
  private stoppedText(broke: CaptureReadError): string {
    const why = STOPPED_BECAUSE[broke.kind] ?? 'the file could not be read on';
    const last = this.to === null ? 'no event time read' : `the last event at ${new Date(this.to).toISOString()}`;
    return `${this.file}: replay stopped at line ${broke.line} (${why}); the ${countText(broke.line - 1, 'complete line')} before it ${countNoun(broke.line - 1, 'was', 'were')} replayed, ${last}`;
  }

  private inSlice(t: number): boolean {
    return (this.sliceFrom === undefined || t >= this.sliceFrom) && (this.sliceTo === undefined || t < this.sliceTo);
  }

  /** A line without an event time is in the slice when the newest event time before it is (the first timed line's before any). */
  private untimedInSlice(): boolean {
    const at = this.fileWatermark ?? this.firstTimeMs;
    return at === null || at === undefined || this.inSlice(at);
  }

  /** Handles one record; returns a promise when the loop must wait (pacing, pause, backpressure). */
  private handle(record: CaptureRecord, gen: number): Promise<void> | null {
    // Cut mid-line (copied while being written): the capture breaks off there, as a cut gzip does.
    if ('error' in record && record.cut) throw cutLineError(this.file, record.line);
    this.line = record.line;
    if (record.line > this.maxLineSeen) this.maxLineSeen = record.line;
    if ('error' in record) {
      if (!this.untimedInSlice()) return null;
      this.onBadLine(record.line, record.error, record.bytes);
      return (this.state === 'paused' && this.seekTarget === null) || this.isBlocked() ? this.holdOn(gen, null) : null;
    }
    if (record.line < this.skipBelowLine) return null;

    const raw = record.raw;
    const fresh = record.line > this.highestPushedLine;
    // A plain line the reader already parsed is the structured-mode body decodeMessage
    // would parse again: validate the parsed object directly (same result, one parse).
    const decoded =
      record.parsed && raw.body.byteLength <= (this.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
        ? normalizeCloudEvent(record.parsed.object)
        : decodeMessage(raw, { maxBodyBytes: this.maxBodyBytes });
    let t: number | null = null;
    if (decoded.ok && decoded.event.timeMs !== null) t = decoded.event.timeMs;
    // The reader gives a plain line its event time as arrival, and 0 when the line has neither a
    // recorded arrival nor a time.
    let placed = t;
    if (raw.arrivalMs === 0) raw.arrivalMs = t ?? this.arrivalMark ?? this.fileWatermark ?? this.firstTimeMs ?? 0;
    else if (t !== null && raw.arrivalMs === t) placed = raw.arrivalMs = this.arrivalOfTimed(t);
    if (t === null) return this.untimedInSlice() ? this.emit(record.line, raw, decoded, fresh, gen, null) : null;
    const fileWatermarkBefore = this.fileWatermark;
    if (this.fileWatermark === null || t > this.fileWatermark) this.fileWatermark = t;
    // Outside the slice: read past, neither pushed nor paced nor part of the span.
    if (!this.inSlice(t)) return null;

    // A capture need not be in event-time order: the span is the earliest and latest seen.
    if (this.from === null) this.from = Math.min(t, this.probedEarliest ?? t);
    else if (t < this.from) this.from = t;
    if (this.to !== null && t > this.to) this.to = t;
    if (this.anchorPos === null) {
      this.anchorPos = t;
      this.anchorWall = this.now();
    }
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (!last || record.line >= last.line + this.checkpointEvery) {
      // The watermark of every line before this one (exact: a pass that skipped lines starts
      // from the watermark of the checkpoint it skipped to).
      this.checkpoints.push({ line: record.line, watermark: this.passWatermark ?? t, fileWatermark: fileWatermarkBefore });
    }
    if (this.passWatermark === null || t > this.passWatermark) this.passWatermark = t;
    if (this.arrivalMark === null || placed! > this.arrivalMark) this.arrivalMark = placed;
    this.followStretch(t);

    // Lines at the target itself belong to the stretch passed: the paced clock pushes a line on
    // reaching its time, so a seek to an event's exact time stores that event too.
    if (this.seekTarget !== null && t > this.seekTarget) this.completeSeek();
    return this.emit(record.line, raw, decoded, fresh, gen, t);
  }

  private emit(line: number, raw: RawMessage, decoded: DecodeResult, fresh: boolean, gen: number, t: number | null): Promise<void> | null {
    if (t !== null) this.skipFarGap(line, t);
    const seeking = this.seekTarget !== null;
    const mustPace = !seeking && this.speed !== 'max' && t !== null && this.state === 'running' && this.clock()! < t;
    const paused = this.state === 'paused' && !seeking;
    if (mustPace || paused || (fresh && this.isBlocked())) {
      return this.holdOn(gen, t, line).then(() => {
        if (gen === this.generation) this.deliver(line, raw, decoded, fresh, t);
      });
    }
    this.deliver(line, raw, decoded, fresh, t);
    return null;
  }

  private deliver(line: number, raw: RawMessage, decoded: DecodeResult, fresh: boolean, t: number | null): void {
    // At 'max' the clock is the newest event time handled in this stretch.
    if (t !== null && this.speed === 'max' && this.seekTarget === null) this.anchorPos = this.stretchWatermark ?? t;
    if (!fresh || !this.push) return;
    this.highestPushedLine = line;
    this.pushed++;
    this.push(decoded.ok ? { raw, decoded } : { raw, decoded, origin: `${this.file}:${line}` });
  }

  /** Reached the seek target: pace again from it. */
  private completeSeek(): void {
    this.anchorPos = this.seekTarget;
    this.anchorWall = this.now();
    this.seekTarget = null;
    this.seekBackward = false;
    this.skipBelowLine = 0;
  }

  /** Waits while paused, blocked, or (paced) until the clock reaches `t`. */
  private async holdOn(gen: number, t: number | null, line = 0): Promise<void> {
    for (;;) {
      if (gen !== this.generation) return;
      if (this.state === 'paused' && this.seekTarget === null) {
        await this.sleep(null);
        continue;
      }
      if (this.isBlocked()) {
        await this.sleep(BLOCKED_POLL_MS);
        // Behind because of backpressure: do not race to catch up afterwards.
        if (this.speed !== 'max' && this.anchorPos !== null) {
          this.anchorPos = this.clock();
          this.anchorWall = this.now();
        }
        continue;
      }
      if (this.seekTarget !== null && t !== null && t > this.seekTarget) this.completeSeek();
      if (t === null || this.speed === 'max' || this.seekTarget !== null) return;
      this.skipFarGap(line, t);
      this.waitingFor = t;
      const c = this.clock()!;
      if (c >= t) {
        this.waitingFor = null;
        return;
      }
      await this.sleep(Math.min(MAX_SLEEP_MS, Math.max(1, (t - c) / this.speed)));
    }
  }

  /**
   * Paced and running: a line more than MAX_PACED_GAP_MS from the replay clock (ahead, or behind
   * after such a jump) moves the clock to its time instead of being waited for (or, behind,
   * pushed at once with the rest of the capture unpaced behind a clock years ahead).
   */
  private skipFarGap(line: number, t: number): void {
    if (this.speed === 'max' || this.seekTarget !== null || this.state !== 'running') return;
    const c = this.clock();
    if (c === null || !isFarGap(t, c)) return;
    // Back near where the clock was before a far line: on from there (the stretch between was
    // paced already), as if the far line had not been.
    const before = this.clockBeforeJump;
    const back = before !== null && !isFarGap(t, before);
    this.clockBeforeJump = back ? null : c;
    this.anchorPos = back ? Math.max(t, before) : t;
    this.anchorWall = this.now();
    this.waitingFor = null;
    // A backward seek paces the stretch again: the same jump is said once.
    if (this.skippedGaps.some((g) => g.line === line)) return;
    const gap = { line, fromMs: c, toMs: t };
    if (this.skippedGaps.length < MAX_SKIPPED_GAPS) this.skippedGaps.push(gap);
    this.log(skippedGapText(this.file, gap));
  }

  /**
   * The arrival of a timed line without a recorded one: its event time, unless that is more than
   * MAX_PACED_GAP_MS from the lines before it (and from the stretch a far line left): a line
   * misdated years away was, as far as the file says, recorded when the lines around it were.
   * Taken as arriving years ahead, it moved the store's payment clock (PaymentOutcomes) years on
   * and every payment under way was forgotten: their retries were counted as payments started.
   */
  private arrivalOfTimed(t: number): number {
    const w = this.stretchWatermark;
    if (w === null || !isFarGap(t, w)) return t;
    const left = this.stretchBeforeJump;
    return left !== null && !isFarGap(t, left) ? t : w;
  }

  /** A line at `t` extends the stretch, starts another far from it, or comes back to the one a far jump left. */
  private followStretch(t: number): void {
    const w = this.stretchWatermark;
    if (w === null || !isFarGap(t, w)) {
      this.stretchWatermark = w === null ? t : Math.max(w, t);
      return;
    }
    const left = this.stretchBeforeJump;
    const back = left !== null && !isFarGap(t, left);
    this.stretchBeforeJump = back ? null : w;
    this.stretchWatermark = back ? Math.max(left, t) : t;
  }

  private sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private onBadLine(line: number, error: string, bytes: Uint8Array = EMPTY): void {
    if (line <= this.highestPushedLine) return;
    this.badLines++;
    if (this.badSamples.length < MAX_BAD_SAMPLES) this.badSamples.push({ line, error });
    this.highestPushedLine = line;
    this.pushed++;
    this.push?.({
      raw: { body: bytes, headers: null, contentType: null, routingKey: null, arrivalMs: this.arrivalMark ?? this.from ?? this.firstTimeMs ?? 0 },
      decoded: { ok: false, reason: `capture line ${line}: ${error}` },
      origin: `${this.file}:${line}`,
    });
  }

  /**
   * For a plain (not gzip) file, the latest event time of its last megabyte gives `to` before a
   * full pass (and its earliest lowers `from`): the whole span when the file is that small.
   */
  private async probeEnd(): Promise<void> {
    try {
      // Not a pipe: opening one waits for a writer (the read loop says what the file is).
      if (!(await stat(this.file)).isFile()) return;
      const handle = await open(this.file, 'r');
      try {
        const size = Math.min((await handle.stat()).size, this.sizeAtStart ?? Infinity);
        this.bytesTotal = size;
        const head = Buffer.alloc(2);
        await handle.read(head, 0, 2, 0);
        if (head[0] === 0x1f && head[1] === 0x8b) return;
        const length = Math.min(size, 1 << 20);
        const tail = Buffer.alloc(length);
        await handle.read(tail, 0, length, size - length);
        const lines = tail.toString('latin1').split('\n');
        let earliest: number | null = null;
        let latest: number | null = null;
        // The chunk's first line is cut off unless the chunk is the whole file.
        for (let i = length === size ? 0 : 1; i < lines.length; i++) {
          const rec = parseCaptureLine(Buffer.from(lines[i], 'latin1'), 2);
          if (!rec || 'error' in rec) continue;
          const d = decodeMessage(rec.raw, { maxBodyBytes: this.maxBodyBytes });
          if (!d.ok || d.event.timeMs === null || !this.inSlice(d.event.timeMs)) continue;
          const t = d.event.timeMs;
          if (earliest === null || t < earliest) earliest = t;
          if (latest === null || t > latest) latest = t;
        }
        if (latest !== null && !this.toExact) this.to = Math.max(latest, this.to ?? latest);
        if (earliest !== null) {
          this.probedEarliest = earliest;
          // Before the first line is read `from` stays null (it says the replay has begun).
          if (this.from !== null && earliest < this.from) this.from = earliest;
        }
      } finally {
        await handle.close();
      }
    } catch {
      // The read loop reports file problems; the end stays unknown.
    }
  }
}

/** The size of `file` if it is a regular file (a pipe's or a missing file's: the read loop says what it is). */
function regularFileSize(file: string): number | undefined {
  try {
    const kind = statSync(file);
    return kind.isFile() ? kind.size : undefined;
  } catch {
    return undefined;
  }
}

/** Why a capture that broke off stopped, by the reader's verdict (the log's "replay stopped" line). */
const STOPPED_BECAUSE: Partial<Record<CaptureReadError['kind'], string>> = {
  'truncated-gzip': 'the file is truncated: gzip data ends early',
  'corrupt-gzip': 'the gzip data is corrupt',
  'truncated-line': 'the file is truncated: its last line is cut off',
};

/** Two event times further apart than a paced replay waits through (shared/replayGap.ts). */
function isFarGap(a: number, b: number): boolean {
  return Math.abs(a - b) > MAX_PACED_GAP_MS;
}
