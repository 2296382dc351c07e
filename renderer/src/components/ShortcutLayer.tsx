// Installs the keyboard shortcuts (lib/shortcuts.ts) and the `?` help overlay; also applies
// dense mode (remembered) to the document.
import { useCallback, useEffect, useState } from 'react';
import { appStore } from '../store/appStore';
import { panWindow, rangeStore, rangeWindow, zoomWindow } from '../store/dashboardRange';
import { NEXT_COMPARE, SHORTCUTS, isTypingTarget, shortcutFor, type ShortcutAction } from '../lib/shortcuts';
import { Modal } from './Modal';

const DENSITY_KEY = 'payops.density';

function rememberedDense(): boolean {
  try {
    return localStorage.getItem(DENSITY_KEY) === 'dense';
  } catch {
    return false;
  }
}

export function ShortcutLayer() {
  const [help, setHelp] = useState(false);
  const [dense, setDense] = useState(rememberedDense);
  const closeHelp = useCallback(() => setHelp(false), []);

  useEffect(() => {
    document.documentElement.dataset.density = dense ? 'dense' : 'normal';
    try {
      localStorage.setItem(DENSITY_KEY, dense ? 'dense' : 'normal');
    } catch {
      // storage disabled: dense mode lasts for this page only
    }
  }, [dense]);

  useEffect(() => {
    const run = (a: ShortcutAction) => {
      const range = rangeStore.getState();
      switch (a.kind) {
        case 'help':
          return setHelp((h) => !h);
        case 'pause':
          return appStore.getState().togglePause();
        case 'view':
          window.location.hash = `#/${a.id}`;
          return;
        case 'range':
          return range.choosePreset(a.preset);
        case 'follow':
          return range.follow();
        case 'zoom':
        case 'pan': {
          // On the engine's clock (event time in a replay), like the range itself.
          const clock = appStore.getState().view.snapshot?.clock ?? null;
          const shown = rangeWindow(range, clock);
          if (!shown || clock === null) return;
          const next = a.kind === 'zoom' ? zoomWindow(shown, a.factor, clock) : panWindow(shown, a.fraction, clock);
          return range.fixRange(next.fromMs, next.toMs);
        }
        case 'compare':
          return range.setCompare(NEXT_COMPARE[range.compare]);
        case 'dense':
          return setDense((d) => !d);
        case 'theme':
          return appStore.getState().toggleTheme();
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const action = shortcutFor(e);
      if (!action) return;
      // With a dialog open only `?` (to close the help) is a shortcut.
      if (document.querySelector('[role="dialog"]') && action.kind !== 'help') return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!help) return null;
  return (
    <Modal title="Keyboard shortcuts" onClose={closeHelp} testId="shortcut-help">
      <table className="mini-table shortcut-table">
        <caption className="sr-only">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">
              <kbd>↑</kbd> <kbd>↓</kbd>
            </th>
            <td>Explorer: previous or next event row (the detail follows)</td>
          </tr>
          <tr>
            <th scope="row">
              <kbd>Esc</kbd>
            </th>
            <td>Close a dialog or this list</td>
          </tr>
        </tbody>
      </table>
    </Modal>
  );
}
