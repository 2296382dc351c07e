// A modal dialog and the one-line text of an error, shared by every view's dialogs.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { keepTabInside, tabStops } from './focusTrap';

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A modal dialog, named by its title (text, or text holding a name from the broker drawn as
 * UntrustedText: the dialog's accessible name is the heading's text). Escape or the backdrop closes it, focus starts in its first field (on Close when
 * it has none), Tab stays inside it, and focus goes back to the opener when it closes.
 */
export function Modal({ title, onClose, children, testId }: { title: ReactNode; onClose: () => void; children: ReactNode; testId?: string }) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  // The latest onClose, read when Escape is pressed: the views pass a new function at every render
  // (ten a second behind a live view), and an effect hung on it opened the dialog again each time,
  // throwing focus out of the field being typed in.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // The first shown field of the dialog's body, not the header's ✕ (Enter there closed what was
    // just opened), nor a field hidden or folded in a closed <details> (focus nobody could see).
    const fields = body.current ? tabStops(body.current).filter((el) => el.matches('textarea, input, select, button')) : [];
    (fields[0] ?? box.current?.querySelector<HTMLElement>('button'))?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
      else if (e.key === 'Tab' && box.current) keepTabInside(box.current, e);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal panel" role="dialog" aria-modal="true" aria-labelledby={id} ref={box} data-testid={testId}>
        <header className="panel-head">
          <h2 id={id}>{title}</h2>
          <button type="button" className="btn btn-small btn-ghost" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div ref={body}>{children}</div>
      </div>
    </div>
  );
}
