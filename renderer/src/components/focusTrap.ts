// Tab and Shift+Tab kept inside an open modal dialog (WAI-ARIA's dialog pattern): from its last
// control Tab goes to its first, from its first Shift+Tab goes to its last. Without it focus
// walked out to the page behind the backdrop, where the operator could not see what had focus.

const TAB_STOPS = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'details > summary:first-of-type',
  '[tabindex]:not([tabindex="-1"])',
  '[contenteditable="true"]',
].join(', ');

/**
 * Whether `el` is drawn where the operator can see it (as focus-trap's tabbable judges it): not
 * under `display: none`, not `visibility: hidden` (inherited, so the element's own computed
 * value), not folded in a closed <details> (whose first <summary> stays, it opens the details).
 */
function isShown(el: HTMLElement): boolean {
  if (getComputedStyle(el).visibility === 'hidden') return false;
  for (let node: HTMLElement | null = el; node; node = node.parentElement) {
    if (getComputedStyle(node).display === 'none') return false;
    const parent: HTMLElement | null = node.parentElement;
    if (parent?.tagName === 'DETAILS' && !parent.hasAttribute('open') && node !== parent.querySelector(':scope > summary')) return false;
  }
  return true;
}

/** An element's tab index; a <details>' summary is a stop (0) unless it says otherwise, as browsers take it (DOMs without layout say -1). */
const tabIndexOf = (el: HTMLElement): number => (el.tagName === 'SUMMARY' && !el.hasAttribute('tabindex') ? 0 : el.tabIndex);

/** The controls of `container` that Tab stops on, in document order: none hidden, disabled or inert. */
export function tabStops(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(TAB_STOPS)].filter((el) => tabIndexOf(el) >= 0 && !el.closest('[hidden], [inert]') && isShown(el));
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
