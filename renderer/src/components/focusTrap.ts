// Tab and Shift+Tab kept inside an open modal dialog (WAI-ARIA's dialog pattern): from its last
// control Tab goes to its first, from its first Shift+Tab goes to its last. Without it focus
// walked out to the page behind the backdrop, where the operator could not see what had focus.

const TAB_STOPS = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
  '[contenteditable="true"]',
].join(', ');

/** The controls of `container` that Tab stops on, in document order. */
export function tabStops(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(TAB_STOPS)].filter((el) => el.tabIndex >= 0 && !el.closest('[hidden], [inert]'));
}

/** Wraps a Tab keydown at the dialog's edges (or from outside it) back into `container`. */
export function keepTabInside(container: HTMLElement, e: KeyboardEvent): void {
  const stops = tabStops(container);
  const active = document.activeElement;
  const inside = active instanceof Node && container.contains(active);
  if (stops.length === 0) {
    e.preventDefault();
    return;
  }
  const edge = e.shiftKey ? stops[0] : stops[stops.length - 1];
  if (inside && active !== edge) return;
  e.preventDefault();
  (e.shiftKey ? stops[stops.length - 1] : stops[0]).focus();
}
