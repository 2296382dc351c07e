// @vitest-environment happy-dom
// The modal dialogs while the view behind them re-renders (the silences and history views do at
// every snapshot, ten times a second live: they read the clock). Before, the dialog's effect hung
// on its onClose, a new function at each render: it ran again every time, giving focus back to the
// opener and then to the first field, so an operator typing a silence's comment was thrown into
// the first matcher's field mid-word, and a screen reader heard the dialog open again and again.
//
// Effects do not run under react-dom/server, so this file renders with react-dom/client into
// happy-dom's document.
import { act, createElement, useState, type ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Modal } from './Modal';

const globals = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
beforeAll(() => {
  globals.IS_REACT_ACT_ENVIRONMENT = true;
});
afterAll(() => {
  delete globals.IS_REACT_ACT_ENVIRONMENT;
});

async function render(element: ReactElement) {
  const { createRoot } = await import('react-dom/client');
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(element));
  return container;
}

const focused = () => document.activeElement?.getAttribute('aria-label') ?? null;

describe('a modal dialog over a view that re-renders', () => {
  it('keeps focus where the operator put it, opening only once', async () => {
    let tick: () => void = () => undefined;
    let closed = 0;
    function View() {
      const [n, setN] = useState(0);
      tick = () => setN((x) => x + 1);
      // onClose a new function at each render, as the views write it
      return createElement(Modal, { title: `Silence (${n})`, onClose: () => closed++, children: createElement('form', null, createElement('input', { 'aria-label': 'first' }), createElement('input', { 'aria-label': 'comment' })) });
    }
    const container = await render(createElement(View));
    const [first, comment] = [...container.querySelectorAll('input')];
    expect(first.getAttribute('aria-label')).toBe('first');
    comment.focus();
    for (let i = 0; i < 3; i++) await act(async () => tick());
    expect(focused()).toBe('comment');
    expect(closed).toBe(0);
  });
});

describe('a modal dialog opening', () => {
  // Before: focus started on the header's ✕ (the first button in the dialog), so Enter closed the
  // dialog just opened and the first field was a Tab away.
  it('starts focus in its first field, on Close only when it has none', async () => {
    await render(createElement(Modal, { title: 'Silence', onClose: () => undefined, children: createElement('form', null, createElement('input', { 'aria-label': 'first' })) }));
    expect(focused()).toBe('first');
    await render(createElement(Modal, { title: 'Keyboard shortcuts', onClose: () => undefined, children: createElement('p', null, 'p: pause') }));
    expect(focused()).toBe('Close');
  });
});
