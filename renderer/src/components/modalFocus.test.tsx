// The modal dialogs while the view behind them re-renders (the silences and history views do at
// every snapshot, ten times a second live: they read the clock). Before, the dialog's effect hung
// on its onClose, a new function at each render: it ran again every time, giving focus back to the
// opener and then to the first field, so an operator typing a silence's comment was thrown into
// the first matcher's field mid-word, and a screen reader heard the dialog open again and again.
//
// Effects do not run under react-dom/server, so this file renders with react-dom/client into a
// small stand-in for the DOM below (the few node methods React and Modal call; no jsdom).
import { act, createElement, useState, type ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Modal } from './Modal';

/* eslint-disable @typescript-eslint/no-explicit-any */
// The stand-in: nodes that keep their children, attributes and listeners, focus kept on the
// document, querySelector by tag names only (what Modal asks).
class Node_ {
  childNodes: any[] = []; parentNode: any = null; ownerDocument: any; nodeType: number; nodeName: string; listeners: Record<string, any[]> = {};
  constructor(doc: any, type: number, name: string) { this.ownerDocument = doc; this.nodeType = type; this.nodeName = name; }
  appendChild(c: any) { if (c.parentNode) c.parentNode.removeChild(c); this.childNodes.push(c); c.parentNode = this; return c; }
  insertBefore(c: any, ref: any) { if (c.parentNode) c.parentNode.removeChild(c); const i = this.childNodes.indexOf(ref); this.childNodes.splice(i < 0 ? this.childNodes.length : i, 0, c); c.parentNode = this; return c; }
  removeChild(c: any) { this.childNodes = this.childNodes.filter((x) => x !== c); c.parentNode = null; return c; }
  get firstChild() { return this.childNodes[0] ?? null; }
  get lastChild() { return this.childNodes[this.childNodes.length - 1] ?? null; }
  get nextSibling() { const p = this.parentNode; if (!p) return null; return p.childNodes[p.childNodes.indexOf(this) + 1] ?? null; }
  addEventListener(t: string, f: any) { (this.listeners[t] ??= []).push(f); }
  removeEventListener(t: string, f: any) { this.listeners[t] = (this.listeners[t] ?? []).filter((x) => x !== f); }
  get textContent(): string { return this.childNodes.map((c) => c.textContent).join(''); }
  set textContent(v: string) { this.childNodes = []; if (v) this.appendChild(this.ownerDocument.createTextNode(v)); }
}
class Text_ extends Node_ { data: string; constructor(d: any, t: string) { super(d, 3, '#text'); this.data = t; } get nodeValue() { return this.data; } set nodeValue(v) { this.data = v; } override get textContent() { return this.data; } override set textContent(v) { this.data = v; } }
class El extends Node_ {
  attributes: Record<string, string> = {}; style: any = {}; tagName: string; namespaceURI = 'http://www.w3.org/1999/xhtml';
  constructor(d: any, tag: string) { super(d, 1, tag.toUpperCase()); this.tagName = tag.toUpperCase(); }
  setAttribute(k: string, v: string) { this.attributes[k] = String(v); }
  removeAttribute(k: string) { delete this.attributes[k]; }
  getAttribute(k: string) { return this.attributes[k] ?? null; }
  hasAttribute(k: string) { return k in this.attributes; }
  getAttributeNames() { return Object.keys(this.attributes); }
  focus() { this.ownerDocument.activeElement = this; }
  querySelector(sel: string): any { const tags = sel.split(',').map((s) => s.trim().toUpperCase()); const walk = (n: any): any => { for (const c of n.childNodes) { if (c.nodeType === 1 && tags.includes(c.tagName)) return c; const f = walk(c); if (f) return f; } return null; }; return walk(this); }
}
function makeDoc() {
  const doc: any = { listeners: {}, activeElement: null, nodeType: 9 };
  doc.createElement = (t: string) => new El(doc, t);
  doc.createElementNS = (_ns: string, t: string) => new El(doc, t);
  doc.createTextNode = (t: string) => new Text_(doc, t);
  doc.addEventListener = () => undefined; doc.removeEventListener = () => undefined;
  doc.documentElement = new El(doc, 'html'); doc.body = new El(doc, 'body'); doc.activeElement = doc.body;
  doc.defaultView = globalThis;
  return doc;
}


const globals = globalThis as any;
const saved: Record<string, unknown> = {};
beforeAll(() => {
  for (const k of ['document', 'window', 'navigator', 'HTMLElement', 'HTMLIFrameElement', 'IS_REACT_ACT_ENVIRONMENT', 'addEventListener', 'removeEventListener']) saved[k] = globals[k];
  globals.document = makeDoc();
  globals.window = globalThis;
  const keyListeners = new Set<unknown>();
  globals.addEventListener = (_type: string, f: unknown) => keyListeners.add(f);
  globals.removeEventListener = (_type: string, f: unknown) => keyListeners.delete(f);
  if (!globals.navigator) globals.navigator = { userAgent: 'node' };
  globals.HTMLElement = El;
  globals.HTMLIFrameElement = class {};
  globals.IS_REACT_ACT_ENVIRONMENT = true;
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete globals[k];
    else globals[k] = v;
  }
});

async function render(element: ReactElement) {
  const { createRoot } = await import('react-dom/client');
  const container = globals.document.createElement('div');
  globals.document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(element));
  return container;
}

const find = (n: any, tag: string): any[] => n.childNodes.flatMap((c: any) => [...(c.tagName === tag ? [c] : []), ...find(c, tag)]);

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
    const [first, comment] = find(container, 'INPUT');
    // compared by name: the stand-in nodes are not for printing
    const focused = () => globals.document.activeElement?.getAttribute?.('aria-label') ?? null;
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
    const focused = () => globals.document.activeElement?.getAttribute?.('aria-label') ?? null;
    await render(createElement(Modal, { title: 'Silence', onClose: () => undefined, children: createElement('form', null, createElement('input', { 'aria-label': 'first' })) }));
    expect(focused()).toBe('first');
    await render(createElement(Modal, { title: 'Keyboard shortcuts', onClose: () => undefined, children: createElement('p', null, 'p: pause') }));
    expect(focused()).toBe('Close');
  });
});
