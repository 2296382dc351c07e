// @vitest-environment happy-dom
// The modal dialogs while the view behind them re-renders (the silences and history views do at
// every snapshot, ten times a second live: they read the clock). Before, the dialog's effect hung
// on its onClose, a new function at each render: it ran again every time, giving focus back to the
// opener and then to the first field, so an operator typing a silence's comment was thrown into
// the first matcher's field mid-word, and a screen reader heard the dialog open again and again.
//
// Effects do not run under react-dom/server, so this file renders with react-dom/client into
// happy-dom's document.
import { act, createElement, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { isTypingTarget } from '../lib/shortcuts';
import { tabStops } from './focusTrap';
import { Modal } from './Modal';

useDomRoots();
const render = renderInDom;

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

describe('a modal dialog opening with a hidden field first', () => {
  // Before: focus was given to the first field in the markup, hidden or not: a folded advanced
  // field took it, so the operator saw no focus at all and typed into nothing they could see.
  it('starts focus in its first shown field', async () => {
    const h = createElement;
    const fields = h('form', null, h('details', null, h('summary', null, 'Advanced'), h('input', { 'aria-label': 'folded' })), h('input', { 'aria-label': 'gone', style: { display: 'none' } }), h('input', { 'aria-label': 'shown' }));
    await render(createElement(Modal, { title: 'Silence', onClose: () => undefined, children: fields }));
    expect(focused()).toBe('shown');
  });
});

describe('Tab in an open modal dialog', () => {
  // Before: Tab from the dialog's last control went on to the page behind the backdrop (and
  // Shift+Tab from its first), where the operator could not see what had focus.
  // happy-dom does not move focus on a Tab keydown (the browser's default action): a Tab the
  // dialog leaves alone is seen as a keydown not prevented.
  function tab(shiftKey = false) {
    const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true });
    (document.activeElement ?? document.body).dispatchEvent(event);
    return event.defaultPrevented;
  }

  it('wraps from the last control to the first and back, leaving Tab between them to the browser', async () => {
    const page = document.createElement('button');
    page.setAttribute('aria-label', 'page behind');
    document.body.appendChild(page);
    const fields = createElement('form', null, createElement('input', { 'aria-label': 'first' }), createElement('button', { type: 'button', 'aria-label': 'save' }), createElement('button', { type: 'button', disabled: true, 'aria-label': 'disabled' }));
    const container = await render(createElement(Modal, { title: 'Silence', onClose: () => undefined, children: fields }));
    expect(focused()).toBe('first');
    container.querySelector<HTMLElement>('[aria-label="save"]')!.focus();
    expect(tab()).toBe(true);
    expect(focused()).toBe('Close'); // the header's ✕ is the dialog's first control
    expect(tab(true)).toBe(true);
    expect(focused()).toBe('save');
    expect(tab(true)).toBe(false); // from save back to first: inside, the browser's to do
    page.focus(); // focus that got out (a click through, a script) comes back on the next Tab
    expect(tab()).toBe(true);
    expect(focused()).toBe('Close');
  });

  // Before: a control hidden by CSS (display: none, visibility: hidden) or folded in a closed
  // <details> was a tab stop, so Tab from the last visible control went nowhere the operator
  // could see and the wrap to the first never came. Hidden controls are skipped as tabbable does;
  // a closed <details>' own summary stays a stop (it opens it).
  it('skips controls hidden by CSS or folded in a closed <details>, as tabbable does', async () => {
    const h = createElement;
    const fields = h(
      'form',
      null,
      h('input', { 'aria-label': 'first' }),
      h('button', { type: 'button', 'aria-label': 'save' }),
      h('details', null, h('summary', { 'aria-label': 'more' }, 'More'), h('input', { 'aria-label': 'folded' })),
      h('button', { type: 'button', 'aria-label': 'gone', style: { display: 'none' } }),
      h('div', { style: { display: 'none' } }, h('button', { type: 'button', 'aria-label': 'in gone' })),
      h('div', { style: { visibility: 'hidden' } }, h('input', { 'aria-label': 'invisible' })),
    );
    const container = await render(createElement(Modal, { title: 'Silence', onClose: () => undefined, children: fields }));
    const dialog = container.querySelector<HTMLElement>('[role="dialog"]') ?? container;
    expect(tabStops(dialog).map((el) => el.getAttribute('aria-label'))).toEqual(['Close', 'first', 'save', 'more']);
    container.querySelector<HTMLElement>('[aria-label="more"]')!.focus();
    expect(tab()).toBe(true);
    expect(focused()).toBe('Close');
    expect(tab(true)).toBe(true);
    expect(focused()).toBe('more');
    // Opened, the folded field is a stop again, the last one.
    container.querySelector('details')!.setAttribute('open', '');
    expect(tabStops(dialog).map((el) => el.getAttribute('aria-label'))).toEqual(['Close', 'first', 'save', 'more', 'folded']);
  });

  it('gives focus back to the control that opened it when it closes', async () => {
    let open: (v: boolean) => void = () => undefined;
    function View() {
      const [shown, setShown] = useState(false);
      open = setShown;
      return createElement('div', null, createElement('button', { 'aria-label': 'opener' }), shown ? createElement(Modal, { title: 'Shortcuts', onClose: () => setShown(false), children: createElement('input', { 'aria-label': 'first' }) }) : null);
    }
    const container = await render(createElement(View));
    container.querySelector<HTMLElement>('[aria-label="opener"]')!.focus();
    await act(async () => open(true));
    expect(focused()).toBe('first');
    await act(async () => open(false));
    expect(focused()).toBe('opener');
  });
});

describe('keyboard shortcuts and editable text', () => {
  // contenteditable="" and a bare contenteditable are editable as "true" is, and so is
  // plaintext-only: typing "p" in one paused the live view. A contenteditable="false" island
  // inside one is not.
  it('takes no key typed in an editable element, whatever its contenteditable says', () => {
    document.body.innerHTML = `
      <div contenteditable="true"><span id="t">a</span></div>
      <div contenteditable=""><span id="empty">a</span></div>
      <div contenteditable><b id="bare">a</b></div>
      <div contenteditable="plaintext-only" id="plain">a</div>
      <div contenteditable="TRUE" id="upper">a</div>
      <div contenteditable="true"><span contenteditable="false"><i id="island">a</i></span></div>
      <div contenteditable="false" id="off">a</div>
      <div id="none">a</div>`;
    const at = (id: string) => isTypingTarget(document.getElementById(id));
    expect(['t', 'empty', 'bare', 'plain', 'upper'].filter((id) => !at(id))).toEqual([]);
    expect(['island', 'off', 'none'].filter(at)).toEqual([]);
  });
});
