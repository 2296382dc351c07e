// Replay and capture requests of the API contract (spread into apiRequestSchemas in api.ts).
import { z } from 'zod';
import { CAPTURE_FILE_EXTENSIONS } from './dialogApi';
import type { ReplayProgress } from './metrics';
import type { SkippedGap } from './replayGap';

const filePath = z.string().min(1).max(4096);
/**
 * A capture's path, named as captures are (.ndjson, .jsonl, .gz): whoever holds the web host's
 * token could otherwise have any readable file replayed into the quarantine (its lines shown
 * raw), or a capture created under any name (a dotfile the shell reads).
 */
const captureFile = filePath.refine((file) => CAPTURE_FILE_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(`.${ext}`)), {
  error: 'a capture file ends in .ndjson, .jsonl or .gz',
});
/** Replay speeds, a multiple of event time: from a hundredth (slow motion) to a million ('max' has no pacing). */
export const REPLAY_SPEED_MIN = 0.01;
export const REPLAY_SPEED_MAX = 1_000_000;
const speedError = { error: "must be 'max' or a number from 0.01 to 1,000,000" };
const speed = z.union([z.literal('max'), z.number(speedError).min(REPLAY_SPEED_MIN, speedError).max(REPLAY_SPEED_MAX, speedError)], speedError);

export const replayRequestSchemas = {
  /** Opens a capture into its own replay session (never the live database). */
  'replay.open': z.object({ file: captureFile, speed: speed.default(60), startPaused: z.boolean().default(false) }).strict(),
  'replay.control': z
    .discriminatedUnion('action', [
      z.object({ action: z.literal('pause') }).strict(),
      z.object({ action: z.literal('resume') }).strict(),
      z.object({ action: z.literal('seek'), to: z.union([z.number().int(), z.string().max(64)], { error: 'seek needs an epoch ms or an ISO time' }) }).strict(),
      z.object({ action: z.literal('speed'), speed }).strict(),
    ], { error: 'unknown action (pause, resume, seek, speed)' }),
  'replay.status': z.object({}).strict(),
  /** Leaves the replay and returns to the live session. */
  'replay.close': z.object({}).strict(),
  'replay.recent': z.object({}).strict(),
  'capture.start': z
    .object({ file: captureFile, maxBytes: z.number().int().positive().optional(), maxDurationMs: z.number().int().positive().optional() })
    .strict(),
  'capture.stop': z.object({}).strict(),
  'capture.status': z.object({}).strict(),
} as const;

/** `replay.status`: the snapshot's ReplayProgress plus what a summary or a detail view needs. */
export interface ReplayStatusView extends ReplayProgress {
  /** Lines of the file read in this pass (physical line number of the last record). */
  line: number;
  /** Messages handed to the pipeline (events, duplicates and quarantined alike). */
  pushed: number;
  /** Lines that could not be read (not JSON, not UTF-8, not an object...), quarantined with their line number. */
  badLines: number;
  /** The first bad lines (at most 20), for the operator. */
  badLineSamples: { line: number; error: string }[];
  /**
   * Jumps in event time longer than a day that a paced replay skipped instead of waiting for
   * (the first 20): the line, the replay clock before it and the line's time (epoch ms).
   */
  skippedGaps: SkippedGap[];
  /** `to` is the true end (after a full pass) rather than the last line's time or unknown. */
  toExact: boolean;
  /**
   * The capture breaks off before its end (a truncated or corrupt gzip, a plain file cut mid-line, a read failure): every
   * complete line before the break was replayed, `to` is the latest event time read before it,
   * and `error` names the line and the reason.
   */
  truncated: boolean;
  /** A seek in progress: its target (event time, epoch ms). */
  seekingTo: number | null;
  /** Passes over the file started (1 + backward seeks). */
  passes: number;
  /** The line this pass starts decoding from (a backward seek skips to a checkpoint), 0 = the start. */
  passStartLine: number;
  compressed: boolean;
}

export interface CaptureStatusView {
  recording: boolean;
  file: string | null;
  lines: number;
  bytes: number;
  stoppedBecause?: string | null;
  /** What failed when a write error stopped the recording ("FILE: capture write failed (ENOSPC)": disk full). */
  error?: string | null;
}

export interface ReplayResults {
  'replay.open': { ok: boolean; file: string; dbFile: string };
  'replay.control': ReplayStatusView;
  'replay.status': ReplayStatusView;
  'replay.close': { ok: boolean };
  'replay.recent': { files: { file: string; openedAt: number }[]; demoCapture: string | null };
  'capture.start': CaptureStatusView;
  'capture.stop': CaptureStatusView;
  'capture.status': CaptureStatusView;
}
