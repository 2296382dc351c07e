// Replay and capture requests of the API contract (spread into apiRequestSchemas in api.ts).
import { z } from 'zod';
import type { ReplayProgress } from './metrics';

const filePath = z.string().min(1).max(4096);
const speed = z.union([z.literal('max'), z.number().positive().max(1_000_000)]);

export const replayRequestSchemas = {
  /** Opens a capture into its own replay session (never the live database). */
  'replay.open': z.object({ file: filePath, speed: speed.default(60), startPaused: z.boolean().default(false) }).strict(),
  'replay.control': z
    .discriminatedUnion('action', [
      z.object({ action: z.literal('pause') }).strict(),
      z.object({ action: z.literal('resume') }).strict(),
      z.object({ action: z.literal('seek'), to: z.union([z.number().int(), z.string().max(64)]) }).strict(),
      z.object({ action: z.literal('speed'), speed }).strict(),
    ]),
  'replay.status': z.object({}).strict(),
  /** Leaves the replay and returns to the live session. */
  'replay.close': z.object({}).strict(),
  'replay.recent': z.object({}).strict(),
  'capture.start': z
    .object({ file: filePath, maxBytes: z.number().int().positive().optional(), maxDurationMs: z.number().int().positive().optional() })
    .strict(),
  'capture.stop': z.object({}).strict(),
  'capture.status': z.object({}).strict(),
} as const;

export interface ReplayStatusView extends ReplayProgress {
  line: number;
  pushed: number;
  badLines: number;
  badLineSamples: { line: number; error: string }[];
  toExact: boolean;
  seekingTo: number | null;
}

export interface CaptureStatusView {
  recording: boolean;
  file: string | null;
  lines: number;
  bytes: number;
  stoppedBecause?: string | null;
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
