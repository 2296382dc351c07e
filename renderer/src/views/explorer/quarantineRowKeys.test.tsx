// @vitest-environment happy-dom
// A quarantine row opens from the keyboard as an event row does: on Enter and on Space. Before,
// Space did nothing on a quarantine row (and scrolled the page), though it opens an event row.
import { act } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarantineRow } from '../../../../test/support/quarantineRow';
import { QuarantineTable } from './QuarantineTab';

const globals = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
beforeAll(() => {
  globals.IS_REACT_ACT_ENVIRONMENT = true;
});
afterAll(() => {
  delete globals.IS_REACT_ACT_ENVIRONMENT;
});

const row = quarantineRow(7, Date.UTC(2026, 10, 1, 8));

describe('a quarantine row and the keyboard', () => {
  it.each(['Enter', ' '])('opens on %j, the key taken from the page', async (key) => {
    const { createRoot } = await import('react-dom/client');
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    const opened: number[] = [];
    await act(async () => root.render(<QuarantineTable rows={[row]} openSeq={null} gone={new Set()} onOpen={(r) => opened.push(r.seq)} />));
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    await act(async () => container.querySelector('[data-testid="quarantine-row"]')!.dispatchEvent(event));
    expect(opened).toEqual([7]);
    expect(event.defaultPrevented).toBe(true); // Space would scroll the list as well
    await act(async () => root.unmount());
    container.remove();
  });
});
