// Keyboard shortcuts: one table that both the key handler and the `?` help overlay read, so
// the help can never list a key that does nothing. Keys are ignored while typing in a field.
import { VIEWS } from '../views/registry';
import { RANGE_PRESETS, type RangePreset } from '../store/dashboardRange';
import type { CompareWith } from '../../../shared/dashboardApi';

export type ShortcutAction =
  | { kind: 'help' }
  | { kind: 'pause' }
  | { kind: 'view'; id: string }
  | { kind: 'range'; preset: RangePreset }
  | { kind: 'follow' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'pan'; fraction: number }
  | { kind: 'compare' }
  | { kind: 'dense' }
  | { kind: 'theme' };

export interface Shortcut {
  keys: string;
  what: string;
  action: ShortcutAction;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '?', what: 'Show or hide this list of shortcuts', action: { kind: 'help' } },
  { keys: 'p', what: 'Pause or resume the live view', action: { kind: 'pause' } },
  ...VIEWS.map((v, i): Shortcut => ({ keys: String(i + 1), what: `Go to ${v.title}`, action: { kind: 'view', id: v.id } })),
  ...RANGE_PRESETS.map((p, i): Shortcut => ({ keys: `Shift+${i + 1}`, what: `Dashboard range: last ${p.label}`, action: { kind: 'range', preset: p.id } })),
  { keys: 'l', what: 'Dashboard: back to live (follow now)', action: { kind: 'follow' } },
  { keys: '-', what: 'Dashboard: zoom out (twice the range, same centre)', action: { kind: 'zoom', factor: 2 } },
  { keys: '+', what: 'Dashboard: zoom in (half the range, same centre)', action: { kind: 'zoom', factor: 0.5 } },
  { keys: '[', what: 'Dashboard: move the range back by half its length', action: { kind: 'pan', fraction: -0.5 } },
  { keys: ']', what: 'Dashboard: move the range forward by half its length (up to now)', action: { kind: 'pan', fraction: 0.5 } },
  { keys: 'c', what: 'Dashboard: compare with off → yesterday → last week', action: { kind: 'compare' } },
  { keys: 'd', what: 'Dense mode (wall screens) on or off', action: { kind: 'dense' } },
  { keys: 't', what: 'Light or dark theme', action: { kind: 'theme' } },
];

export const NEXT_COMPARE: Record<CompareWith, CompareWith> = { none: 'yesterday', yesterday: 'lastWeek', lastWeek: 'none' };

const SHIFTED_DIGITS: Record<string, string> = { '!': '1', '@': '2', '#': '3', $: '4', '%': '5' };

/** The shortcut a key press means, or null. `code` is KeyboardEvent.code (layout-independent digits with Shift). */
export function shortcutFor(e: { key: string; code?: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '?') return { kind: 'help' };
  const digit = e.code?.startsWith('Digit') ? e.code.slice(5) : (SHIFTED_DIGITS[e.key] ?? (/^\d$/.test(e.key) ? e.key : null));
  // '=' is the unshifted '+' key on most layouts.
  const keys = e.shiftKey && digit ? `Shift+${digit}` : e.key === '=' ? '+' : e.key.toLowerCase();
  return SHORTCUTS.find((s) => s.keys === keys)?.action ?? null;
}

/**
 * Inside editable text: the nearest contenteditable says so ("", "true" in any case,
 * "plaintext-only"; "false" makes an island that is not); an unknown value inherits, as in HTML.
 */
function isEditable(el: Element): boolean {
  for (let host = el.closest('[contenteditable]'); host; host = host.parentElement?.closest('[contenteditable]') ?? null) {
    const value = (host.getAttribute('contenteditable') ?? '').toLowerCase();
    if (value === '' || value === 'true' || value === 'plaintext-only') return true;
    if (value === 'false') return false;
  }
  return false;
}

/** Typing in a field or in editable text, or a key meant for a focused control: not a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return !!el.closest('input, textarea, select, [role="dialog"] form') || isEditable(el);
}
