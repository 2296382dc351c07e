// A row of tabs as WAI-ARIA's tabs pattern has them (automatic activation): one tab stop, the
// selected tab; ← and → move to the previous and next tab (round the ends) and select it, Home
// and End the first and last. Before, each view drew its own tabs as buttons with role tab: every
// tab was a Tab stop and the arrow keys a screen reader announces for a tab list did nothing.
import { useRef, type KeyboardEvent } from 'react';

export interface TabListProps<T extends string> {
  /** The accessible name of the list ("Alerts sections"). */
  label: string;
  className: string;
  /** Tab ids are `${idPrefix}-tab-${id}`, data-testids `${idPrefix}-tab-${id}`; the panel is `${idPrefix}-tabpanel`. */
  idPrefix: string;
  tabs: readonly { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
}

export function TabList<T extends string>({ label, className, idPrefix, tabs, selected, onSelect }: TabListProps<T>) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((t) => t.id === selected);
    const last = tabs.length - 1;
    const to = e.key === 'ArrowRight' ? (at + 1) % tabs.length : e.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (to === null || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    onSelect(tabs[to].id);
    list.current?.querySelector<HTMLElement>(`#${idPrefix}-tab-${tabs[to].id}`)?.focus();
  };
  return (
    <div className={className} role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${t.id}`}
          aria-selected={selected === t.id}
          aria-controls={`${idPrefix}-tabpanel`}
          tabIndex={selected === t.id ? 0 : -1}
          onClick={() => onSelect(t.id)}
          data-testid={`${idPrefix}-tab-${t.id}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
