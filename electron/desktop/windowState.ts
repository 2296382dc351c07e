// Window size and position, remembered across runs, clamped onto a display that exists now.
// Pure logic plus a small JSON file; main.ts feeds it electron's screen work areas.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicallySync } from '../core/atomicFile';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1400, height: 900 } as const;
export const MIN_SIZE = { width: 900, height: 600 } as const;
/** How much of the title bar must be on a display for the saved position to count as visible. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

function isFiniteInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < 1e6;
}

/** Validates what was read from disk; anything odd gives null (the default placement). */
export function parseWindowState(value: unknown): WindowState | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as { bounds?: unknown; maximized?: unknown };
  const b = v.bounds as Partial<Bounds> | undefined;
  if (!b || typeof b !== 'object') return null;
  if (!isFiniteInt(b.x) || !isFiniteInt(b.y) || !isFiniteInt(b.width) || !isFiniteInt(b.height)) return null;
  if (b.width <= 0 || b.height <= 0) return null;
  return {
    bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) },
    maximized: v.maximized === true,
  };
}

function intersectionArea(a: Bounds, b: Bounds): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Centre a window of the given size on a work area, shrinking it to fit. */
export function centredOn(workArea: Bounds, size: { width: number; height: number } = DEFAULT_SIZE): Bounds {
  const width = Math.min(size.width, workArea.width);
  const height = Math.min(size.height, workArea.height);
  return {
    x: workArea.x + Math.round((workArea.width - width) / 2),
    y: workArea.y + Math.round((workArea.height - height) / 2),
    width,
    height,
  };
}

/**
 * Places saved bounds onto the displays present now. The display sharing most area with the
 * saved window wins; the window is shrunk to fit its work area and moved fully inside it. If no
 * display shows enough of the title bar (monitor unplugged, resolution changed), the window is
 * centred on the primary display at the saved size.
 */
export function clampToDisplays(saved: Bounds | null, workAreas: readonly Bounds[], primary: Bounds | undefined = workAreas[0]): Bounds {
  if (!primary) return saved ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (!saved) return centredOn(primary);
  const titleBar: Bounds = { x: saved.x, y: saved.y, width: saved.width, height: MIN_VISIBLE.height };
  let best: Bounds | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const a = intersectionArea(saved, area);
    if (a > bestArea) {
      bestArea = a;
      best = area;
    }
  }
  const titleVisible = workAreas.some((area) => {
    const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return w >= MIN_VISIBLE.width && h >= MIN_VISIBLE.height / 2;
  });
  if (!best || !titleVisible) return centredOn(primary, saved);
  const width = Math.max(Math.min(saved.width, best.width), Math.min(MIN_SIZE.width, best.width));
  const height = Math.max(Math.min(saved.height, best.height), Math.min(MIN_SIZE.height, best.height));
  const x = Math.min(Math.max(saved.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(saved.y, best.y), best.y + best.height - height);
  return { x, y, width, height };
}

export function loadWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Written atomically (core/atomicFile) so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  const parsed = parseWindowState(state);
  if (!parsed) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicallySync(file, `${JSON.stringify(parsed)}\n`, { mode: 0o600 });
}
