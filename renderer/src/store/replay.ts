// The Replay view's state: which capture to open and at what speed, the replay's detailed
// status (bad lines), the recent files, and capture recording of the live session. The
// replay's progress itself comes with every snapshot (snapshot.replay); this store only adds
// what the snapshot does not carry. Pure helpers first (tested on their own), then the store.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiArgs, ApiRequestName, ApiResults, PayopsApi } from '../../../shared/api';
import type { CaptureStatusView, ReplayStatusView } from '../../../shared/replayApi';
import type { DialogResults } from '../../../shared/dialogApi';
import type { ReplayProgress } from '../../../shared/metrics';
import { readLocalTime } from '../lib/localTime';
import { toLocalInput } from '../views/explorer/explorerModel';

export type ReplaySpeed = number | 'max';

/** The speeds the view offers: event time per wall second. */
export const REPLAY_SPEEDS: readonly ReplaySpeed[] = [1, 10, 60, 600, 3600, 'max'];
/** An hour of event time per second: suits sparse captures such as the PaySim demo. */
export const DEFAULT_REPLAY_SPEED: ReplaySpeed = 3600;

export function speedLabel(speed: ReplaySpeed): string {
  return speed === 'max' ? 'max' : `×${speed}`;
}

/** What a speed means for the operator, for a button's title. */
export function speedHint(speed: ReplaySpeed): string {
  if (speed === 'max') return 'As fast as the engine can store events';
  if (speed === 1) return 'Real time';
  const perSecond = speed >= 3600 ? `${speed / 3600} h` : speed >= 60 ? `${speed / 60} min` : `${speed} s`;
  return `${perSecond} of event time per second`;
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * How far the replay is, 0..100: by bytes of the file when its size is known, else by event
 * time between `from` and `to`; null when neither is known. A finished replay is at 100.
 */
export function replayPercent(p: Pick<ReplayProgress, 'state' | 'bytesRead' | 'bytesTotal' | 'position' | 'from' | 'to'> | null): number | null {
  if (!p) return null;
  if (p.state === 'done') return 100;
  let pct: number | null = null;
  if (finite(p.bytesTotal) && p.bytesTotal > 0 && finite(p.bytesRead)) pct = (p.bytesRead / p.bytesTotal) * 100;
  else {
    const f = timeFraction(p.position, p.from, p.to);
    if (f !== null) pct = f * 100;
  }
  return pct === null ? null : Math.max(0, Math.min(100, pct));
}

/** Where `position` lies between `from` and `to`, 0..1; null when the span is unknown. */
export function timeFraction(position: number | null | undefined, from: number | null | undefined, to: number | null | undefined): number | null {
  if (!finite(position) || !finite(from) || !finite(to)) return null;
  if (to <= from) return position >= to ? 1 : 0;
  return Math.max(0, Math.min(1, (position - from) / (to - from)));
}

/** A step for the seek slider: about a thousand steps over the span, at least a second. */
export function seekStep(from: number | null | undefined, to: number | null | undefined): number {
  if (!finite(from) || !finite(to) || to <= from) return 1000;
  return Math.max(1000, Math.round((to - from) / 1000 / 1000) * 1000);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The value of a datetime-local input (local time, seconds optional) to epoch ms; null when invalid (see localTime.ts). */
export function fromLocalInput(value: string): number | null {
  const reading = readLocalTime(value);
  return reading && 'ms' in reading ? reading.ms : null;
}

/**
 * The "Go to" input: its datetime-local text (local time, seconds) and the instant it was
 * filled from. Local seconds drop milliseconds and cannot tell the two 02:30s of a DST
 * fall-back apart, so the instant is what a seek uses while the text still shows it.
 */
export interface SeekInput {
  text: string;
  exact?: number;
}

/** The input filled with the replay's position (the explorer's and the dashboard's local-time text). */
export function seekInput(position: number | null | undefined): SeekInput {
  return finite(position) ? { text: toLocalInput(position), exact: position } : { text: '' };
}

/** Where the input says to seek: the instant it was filled from while unedited, else the typed time. */
export function readSeekInput(input: SeekInput): number | null {
  if (finite(input.exact) && toLocalInput(input.exact) === input.text) return input.exact;
  return fromLocalInput(input.text);
}

/** Why the input's text is no time to seek to (a day or a local time that does not exist); null when it is one, or empty. */
export function seekInputError(input: SeekInput): string | null {
  if (finite(input.exact) && toLocalInput(input.exact) === input.text) return null;
  const reading = readLocalTime(input.text);
  return reading && 'error' in reading ? reading.error : null;
}

/** Keeps a seek target inside the capture's known span. */
export function clampSeek(to: number, from: number | null | undefined, end: number | null | undefined): number {
  let t = to;
  if (finite(from)) t = Math.max(from, t);
  if (finite(end)) t = Math.min(end, t);
  return t;
}

const CAPTURE_NAME = /\.(ndjson|jsonl)(\.gz)?$/i;

/** True for the file names a capture normally has (.ndjson, .jsonl, optionally .gz). */
export function looksLikeCapture(file: string): boolean {
  return CAPTURE_NAME.test(file.trim());
}

export interface CaptureForm {
  file: string;
  /** Size limit in MB (1 MB = 1,000,000 bytes); '' = none. */
  maxMb: string;
  /** Time limit in minutes; '' = none. */
  maxMinutes: string;
}

export type CaptureStartArgs = ApiArgs<'capture.start'>;

function parsePositive(text: string, what: string): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) return { error: `${what} must be a positive number (or empty for no limit)` };
  return { value: n };
}

/** Turns the recording form into capture.start arguments, or says what is wrong with it. */
export function captureArgs(form: CaptureForm): { args: CaptureStartArgs } | { error: string } {
  const file = form.file.trim();
  if (!file) return { error: 'Give the path of the capture file to write (.ndjson, .jsonl, optionally .gz)' };
  if (!looksLikeCapture(file)) return { error: 'The capture file name must end in .ndjson or .jsonl (add .gz to compress)' };
  const mb = parsePositive(form.maxMb, 'The size limit');
  if (mb.error) return { error: mb.error };
  const min = parsePositive(form.maxMinutes, 'The time limit');
  if (min.error) return { error: min.error };
  const args: CaptureStartArgs = { file };
  if (mb.value !== undefined) args.maxBytes = Math.max(1, Math.round(mb.value * 1_000_000));
  if (min.value !== undefined) args.maxDurationMs = Math.max(1, Math.round(min.value * 60_000));
  return { args };
}

/** Why a recording stopped, in words. */
export function stopReasonText(reason: string | null | undefined): string | null {
  if (!reason) return null;
  switch (reason) {
    case 'closed':
      return 'stopped by the operator';
    case 'maxBytes':
      return 'the size limit was reached';
    case 'maxDuration':
      return 'the time limit was reached';
    case 'error':
      return 'a write error';
    default:
      return reason;
  }
}

/** Desktop-only members the preload adds to window.payops besides the typed API. */
export interface DesktopBridgeExtras {
  /** The file system path of a dropped File (Electron's webUtils); '' when it has none. */
  filePath?: (file: File) => string;
}

/** The path of the first dropped file, through the desktop bridge; an error text otherwise. */
export function droppedCapturePath(files: ArrayLike<File> | null | undefined, bridge: DesktopBridgeExtras | null | undefined): { file: string } | { error: string } {
  if (!bridge?.filePath) return { error: 'Dropping a file needs the desktop app: type the path of the capture instead.' };
  const first = files && files.length > 0 ? files[0] : null;
  if (!first) return { error: 'Drop a capture file (.ndjson, .jsonl or .gz).' };
  let file = '';
  try {
    file = bridge.filePath(first);
  } catch {
    file = '';
  }
  if (!file) return { error: `"${first.name}" has no path on this computer: drop a file from the file manager.` };
  return { file };
}

// ---- the store -------------------------------------------------------------------------

/** The part of the client the store needs (a fake in tests). */
export type ReplayClient = Pick<PayopsApi, 'invoke'>;

export interface RecentCapture {
  file: string;
  openedAt: number;
}

export interface ReplayState {
  /** The capture path typed or chosen. */
  path: string;
  /** The speed for the next open (the running replay's own speed is in the snapshot). */
  speed: ReplaySpeed;
  /** Open the next replay paused (to seek before it plays). */
  startPaused: boolean;
  recent: RecentCapture[];
  demoCapture: string | null;
  recentLoaded: boolean;
  /** Why the last read of the recent captures failed (null once one answered). */
  recentError: string | null;
  /** The detailed status of the running replay (bad lines); null outside a replay. */
  status: ReplayStatusView | null;
  /** The request in flight ('open', 'pause', 'seek', ...), one at a time per kind of action. */
  busy: string | null;
  error: string | null;
  /** A short message after an action (drop refused, dialog not available). */
  notice: string | null;

  capture: CaptureStatusView | null;
  captureForm: CaptureForm;
  captureBusy: boolean;
  captureError: string | null;
  /** What the last recording wrote, once it stopped. */
  lastCapture: CaptureStatusView | null;

  setPath(path: string): void;
  setSpeed(speed: ReplaySpeed): void;
  setStartPaused(on: boolean): void;
  setNotice(notice: string | null): void;
  loadRecent(): Promise<void>;
  open(file?: string): Promise<boolean>;
  /** Speed buttons: the next open's speed, and the running replay's when `replaying`. */
  chooseSpeed(speed: ReplaySpeed, replaying: boolean): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  seek(to: number | string): Promise<void>;
  close(): Promise<boolean>;
  refreshStatus(): Promise<void>;
  chooseFile(): Promise<void>;

  setCaptureForm(patch: Partial<CaptureForm>): void;
  startCapture(): Promise<void>;
  stopCapture(): Promise<void>;
  refreshCapture(): Promise<void>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface ReplayStoreOptions {
  /** The file name suggested for a new recording; a function so tests can fix the clock. */
  suggestCaptureFile?: () => string;
}

export function defaultCaptureFile(now = new Date()): string {
  const stamp = `${pad(now.getFullYear(), 4)}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `payops-capture-${stamp}.ndjson.gz`;
}

export function createReplayStore(client: ReplayClient, options: ReplayStoreOptions = {}): StoreApi<ReplayState> {
  const suggest = options.suggestCaptureFile ?? (() => defaultCaptureFile());
  const invoke = <K extends ApiRequestName>(name: K, args: ApiArgs<K>): Promise<ApiResults[K]> => client.invoke(name, args);

  return createStore<ReplayState>()((set, get) => {
    /** Runs one control request; its answer is the new detailed status. */
    async function control(kind: string, args: ApiArgs<'replay.control'>): Promise<void> {
      set({ busy: kind, error: null });
      try {
        const status = await invoke('replay.control', args);
        set({ status });
      } catch (err) {
        set({ error: message(err) });
      } finally {
        if (get().busy === kind) set({ busy: null });
      }
    }

    return {
      path: '',
      speed: DEFAULT_REPLAY_SPEED,
      startPaused: false,
      recent: [],
      demoCapture: null,
      recentLoaded: false,
      recentError: null,
      status: null,
      busy: null,
      error: null,
      notice: null,
      capture: null,
      captureForm: { file: suggest(), maxMb: '', maxMinutes: '' },
      captureBusy: false,
      captureError: null,
      lastCapture: null,

      setPath(path) {
        set({ path, error: null });
      },
      setSpeed(speed) {
        set({ speed });
      },
      setStartPaused(on) {
        set({ startPaused: on });
      },
      setNotice(notice) {
        set({ notice });
      },

      async loadRecent() {
        try {
          const res = await invoke('replay.recent', {});
          set({ recent: res.files ?? [], demoCapture: res.demoCapture ?? null, recentLoaded: true, recentError: null });
        } catch (err) {
          // Not "loaded": what the read would have said (none recent, no demo capture) is not known.
          set({ recentError: message(err) });
        }
      },

      async open(file) {
        const target = (file ?? get().path).trim();
        if (!target) {
          set({ error: 'Type the path of a capture file, pick a recent one, or open the demo capture.' });
          return false;
        }
        if (get().busy === 'open') return false;
        set({ busy: 'open', error: null, notice: null, path: target, status: null });
        try {
          const res = await invoke('replay.open', { file: target, speed: get().speed, startPaused: get().startPaused });
          set({ path: res.file || target });
          void get().loadRecent();
          void get().refreshStatus();
          return !!res.ok;
        } catch (err) {
          set({ error: message(err) });
          return false;
        } finally {
          set({ busy: null });
        }
      },

      async chooseSpeed(speed, replaying) {
        set({ speed });
        if (replaying) await control('speed', { action: 'speed', speed });
      },
      pause: () => control('pause', { action: 'pause' }),
      resume: () => control('resume', { action: 'resume' }),
      seek: (to) => control('seek', { action: 'seek', to }),

      async close() {
        set({ busy: 'close', error: null });
        try {
          const res = await invoke('replay.close', {});
          set({ status: null });
          return !!res.ok;
        } catch (err) {
          set({ error: message(err) });
          return false;
        } finally {
          set({ busy: null });
        }
      },

      async refreshStatus() {
        try {
          const status = await invoke('replay.status', {});
          set({ status });
        } catch {
          // not in a replay session (the engine has no replay source): nothing to show
          set({ status: null });
        }
      },

      async chooseFile() {
        set({ notice: null, error: null });
        try {
          // 'dialog.openCapture' is part of the contract once shared/dialogApi.ts is spread into api.ts.
          const ask = client.invoke as unknown as (n: 'dialog.openCapture', a: object) => Promise<DialogResults['dialog.openCapture']>;
          const res = await ask('dialog.openCapture', {});
          if (!res?.file) return;
          set({ path: res.file });
          await get().open(res.file);
        } catch (err) {
          set({ notice: message(err) });
        }
      },

      setCaptureForm(patch) {
        set({ captureForm: { ...get().captureForm, ...patch }, captureError: null });
      },

      async startCapture() {
        const parsed = captureArgs(get().captureForm);
        if ('error' in parsed) {
          set({ captureError: parsed.error });
          return;
        }
        set({ captureBusy: true, captureError: null, lastCapture: null });
        try {
          const capture = await invoke('capture.start', parsed.args);
          set({ capture });
        } catch (err) {
          set({ captureError: message(err) });
        } finally {
          set({ captureBusy: false });
        }
      },

      async stopCapture() {
        set({ captureBusy: true, captureError: null });
        try {
          const last = await invoke('capture.stop', {});
          const before = get().capture;
          set({
            lastCapture: { ...last, file: last.file ?? before?.file ?? null, stoppedBecause: last.stoppedBecause ?? 'closed' },
            capture: { recording: false, file: null, lines: 0, bytes: 0 },
            captureForm: { ...get().captureForm, file: suggest() },
          });
        } catch (err) {
          set({ captureError: message(err) });
        } finally {
          set({ captureBusy: false });
        }
      },

      async refreshCapture() {
        try {
          const now = await invoke('capture.status', {});
          const before = get().capture;
          // A recording that ended on its own (a limit, an error, a session change): keep what it wrote.
          if (before?.recording && !now.recording) {
            set({
              capture: now,
              lastCapture: {
                recording: false,
                file: now.file ?? before.file,
                lines: Math.max(now.lines, before.lines),
                bytes: Math.max(now.bytes, before.bytes),
                stoppedBecause: now.stoppedBecause ?? 'ended without a stop (a limit was reached or the session changed)',
                error: now.error ?? null,
              },
            });
          } else {
            set({ capture: now });
          }
        } catch (err) {
          set({ captureError: message(err) });
        }
      },
    };
  });
}
